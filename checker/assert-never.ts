// The end of an exhaustive switch over a tagged union: a case nobody handled does not compile, and a value
// that slips past the types (a JSON copy, say) fails loudly instead of taking some default.
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
