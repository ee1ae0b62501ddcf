// Instances as values: an expression names a lock instance by its position within its class (net[1] is
// net's second instance, whatever other classes are declared), so turning a value back into an instance
// needs its class. The closures (link.ts) and the generated code (codegen.ts) share these.
import { LockClass, LockInstance } from './ir';
import { ModelRuntimeError } from './runtime-error';

/** The instance at position v of class cls: values name instances by their position within their class. */
export function instanceAt(classes: LockClass[], instances: LockInstance[], cls: number, v: number, what: string): LockInstance {
  const c = classes[cls];
  if (!c) throw new ModelRuntimeError(`${what}: the class of ${v} is not known`);
  const id = c.instances[v];
  if (id === undefined) throw new ModelRuntimeError(`${what}: ${v} is not an instance of ${c.name} (it has ${c.instances.length})`);
  return instances[id];
}

/** cmp(p, q) of two positions in class cls, by its cmp_fn (over global ids). */
export function cmpAt(classes: LockClass[], instances: LockInstance[], cls: number, p: number, q: number): number {
  const ip = instanceAt(classes, instances, cls, p, 'cmp');
  const iq = instanceAt(classes, instances, cls, q, 'cmp');
  const c = classes[cls];
  if (!c.cmpFn) throw new ModelRuntimeError(`lock class ${c.name} has no cmp`);
  return Math.sign(c.cmpFn(ip.id, iq.id));
}

/** The short name of the instance at position v of class cls, if there is one (cls -1: not known, so none). */
export function instanceName(m: { classes: LockClass[]; instances: LockInstance[] }, cls: number, v: number): string | undefined {
  const id = m.classes[cls]?.instances[v];
  return id === undefined ? undefined : m.instances[id].short;
}
