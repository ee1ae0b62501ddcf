// The fingerprint lives beside the facts it is made of (checker/fingerprint.ts); reporters import it here.
export * from '../checker/fingerprint';
