// expect.findings resolved for this run: the entries whose "when" holds under the params as given (after
// --param), with "when" taken off. An entry's "when" may only name declared params, and a named finding only
// the facts its kind has (checker/facts.ts FACT_FIELDS): a typo must not silently expect nothing.
import { suggest } from '../../diagnostics/diagnostic';
import { FACT_FIELDS } from '../../facts';
import { SourceDoc } from '../../spec/load';
import { Expectation } from '../../spec/types';
import { Ctx } from './context';

export function resolveExpectations(entries: Expectation[] | undefined, params: Record<string, number>, ctx: Ctx, spec: SourceDoc): Expectation[] | undefined {
  if (!entries) return undefined;
  const out: Expectation[] = [];
  entries.forEach((e, i) => {
    if (typeof e === 'string') {
      out.push(e);
      return;
    }
    const at = `/expect/findings/${i}`;
    const { when, ...named } = e;
    const fields = FACT_FIELDS[e.kind];
    for (const field of Object.keys(named))
      if (field !== 'kind' && !fields.includes(field))
        ctx.error(
          'expectFieldUnknown',
          ctx.pos(spec, `${at}/${field}`, true),
          { kind: e.kind, field, fields: fields.join(', '), suggest: suggest(field, fields) },
          `${at}/${field}`,
        );
    let holds = true;
    for (const [name, value] of Object.entries(when ?? {})) {
      if (!Object.hasOwn(params, name)) {
        ctx.error('whenUnknownParam', ctx.pos(spec, `${at}/when/${name}`, true), { name, suggest: suggest(name, Object.keys(params)) }, `${at}/when/${name}`);
        holds = false;
      } else if (params[name] !== value) holds = false;
    }
    if (holds) out.push(named);
  });
  return out;
}
