// The property tests' seed and scale: fixed, so that CI is reproducible. FUZZ_SEED picks another seed and
// FUZZ_RUNS multiplies the number of runs (e.g. FUZZ_SEED=7 FUZZ_RUNS=20 npx ava test/property/) to hunt
// further; a failure prints fast-check's seed and path, which replay it.
export const SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
export const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
