// Checks a spec object against specs/schema/lockcheck.schema.json with ajv (the oracle's own check that the specs
// it is fed are valid; lockcheck's precompiled validators are not used, to stay independent of checker/).
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';

let validate: ((x: unknown) => boolean) & { errors?: unknown } = undefined as any;

/** null when the spec is valid, else ajv's errors as text */
export function schemaErrors(spec: unknown): string | null {
  if (!validate) {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'specs', 'schema', 'lockcheck.schema.json'), 'utf8'));
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema) as any;
  }
  return validate(spec) ? null : JSON.stringify(validate.errors).slice(0, 2000);
}
