// JSON reporter: the canonical result as one document, keys in a stable order.
import { CheckResult } from '../checker/result';

export function renderJson(result: CheckResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
