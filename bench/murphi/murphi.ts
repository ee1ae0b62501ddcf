// The Murphi twin of the rtnl_nets scale family for one instance: bench/murphi/rtnl_nets.m with its four
// constants set (Murphi has no preprocessor, so the instance is written into the text).
import * as fs from 'fs';
import * as path from 'path';

export interface RtnlNetsInstance {
  N: number;
  P: number;
  sorted: boolean;
  /** reset the dead picks after the collection (lockcheck keeps them: off for the equality check) */
  resetDead?: boolean;
}

export const RTNL_NETS_M = path.join(__dirname, 'rtnl_nets.m');

/** Sets `N: ..;`, `P: ..;`, `SORTED: ..;` and `RESET_DEAD: ..;` in the const section; each must be there once. */
export function murphiInstance(template: string, i: RtnlNetsInstance): string {
  const values: Record<string, string> = { N: String(i.N), P: String(i.P), SORTED: String(i.sorted), RESET_DEAD: String(!!i.resetDead) };
  let text = template;
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`^(\\s*${name}:\\s*)[^;]*;`, 'm');
    if (!re.test(text)) throw new Error(`the Murphi template has no constant ${name}`);
    text = text.replace(re, `$1${value};`);
  }
  return text;
}

export function rtnlNetsMurphi(i: RtnlNetsInstance): string {
  return murphiInstance(fs.readFileSync(RTNL_NETS_M, 'utf8'), i);
}
