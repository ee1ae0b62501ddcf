// --param and --without name things in the specs; a name that no spec of the run declares is a typo, and
// checking on without it would say "ok" about a model nobody meant. The names are read off the loaded files
// (the spec and the models it imports), before any search, so a typo costs nothing.
import { suggest } from '../diagnostics/diagnostic';
import { Host } from '../spec/host';
import { load } from '../spec/load';
import { LockDecl } from '../spec/types';

export interface KnownNames {
  params: Set<string>;
  /** lock classes, and instances as CLASS[NAME] */
  locks: Set<string>;
  /** classes whose instances are generated ({count, prefix}): CLASS[prefixK] */
  families: { cls: string; prefix: string }[];
  /** at least one file loaded, so the names mean something */
  loaded: boolean;
}

export function knownNames(host: Host, files: string[]): KnownNames {
  const out: KnownNames = { params: new Set(), locks: new Set(), families: [], loaded: false };
  for (const f of files) {
    const { loaded } = load(host, f);
    if (!loaded) continue;
    out.loaded = true;
    for (const d of [...loaded.models, loaded.spec]) {
      const v = d.doc.value as { params?: Record<string, unknown>; locks?: Record<string, LockDecl> };
      for (const p of Object.keys(v.params ?? {})) out.params.add(p);
      for (const [cls, decl] of Object.entries(v.locks ?? {})) {
        out.locks.add(cls);
        if (Array.isArray(decl?.instances)) for (const i of decl.instances) out.locks.add(`${cls}[${i}]`);
        else if (decl?.instances && typeof decl.instances === 'object') out.families.push({ cls, prefix: String(decl.instances.prefix) });
      }
    }
  }
  return out;
}

/** The first --param or --without name no spec declares, as a usage message with a did-you-mean; or undefined. */
export function unknownName(known: KnownNames, params: Record<string, number>, without: string[]): string | undefined {
  if (!known.loaded) return undefined; // the specs' own errors say more
  for (const p of Object.keys(params))
    if (!known.params.has(p)) return `--param ${p}: no spec here declares a param "${p}"${suggest(p, known.params)}${list(known.params)}`;
  for (const w of without) {
    const name = w.replace(/\s+/g, '');
    const family = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/.exec(name);
    const generated = family && known.families.some((f) => f.cls === family[1] && new RegExp(`^${escapeRe(f.prefix)}[0-9]+$`).test(family[2]));
    if (!known.locks.has(name) && !generated) return `--without ${w}: no spec here declares a lock "${w}"${suggest(name, known.locks)}${list(known.locks)}`;
  }
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const list = (names: Set<string>) =>
  names.size === 0 ? ' (it declares none)' : `; declared: ${[...names].sort().slice(0, 12).join(', ')}${names.size > 12 ? ', ...' : ''}`;
