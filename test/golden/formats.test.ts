// Golden files for every output format, rendered from frozen results (test/reports/fixtures/), so they change
// only when a reporter does: text, JSON, SARIF, JUnit, ITF and the HTML report's markup.
// Accept new output with: UPDATE_GOLDEN=1 npx ava test/golden/formats.test.ts
import test from 'ava';
import { graphvizLayout, Layout } from '../../reports/html/graphs';
import { renderHtml } from '../../reports/html/index';
import { renderItf } from '../../reports/itf';
import { renderJson } from '../../reports/json';
import { renderJunit } from '../../reports/junit';
import { renderSarif } from '../../reports/sarif';
import { renderText } from '../../reports/text';
import { fixture, FIXTURES, fixtureSources } from '../reports/fixtures';
import { golden } from './golden';

let layout: Layout;
test.before(async () => {
  layout = await graphvizLayout();
});

for (const name of FIXTURES) {
  test(`text, JSON, SARIF, JUnit and ITF of the ${name} result`, (t) => {
    const r = fixture(name);
    golden(t, `formats/${name}.txt`, renderText(r));
    golden(t, `formats/${name}.json`, renderJson(r));
    golden(t, `formats/${name}.sarif`, renderSarif(r, { toolVersion: '0.1.0' }));
    golden(t, `formats/${name}.junit.xml`, renderJunit(r));
    golden(t, `formats/${name}.itf.json`, renderItf(r));
  });

  test(`HTML markup of the ${name} result`, (t) => {
    golden(t, `formats/${name}.html`, renderHtml(fixture(name), { layout, sources: fixtureSources() }));
  });
}

test('every reporter gives the same bytes for the same result, and leaves the result as it was', (t) => {
  for (const name of FIXTURES) {
    const r = fixture(name);
    const before = JSON.stringify(r);
    const render = () => [
      renderText(r),
      renderText(r, { color: true }),
      renderJson(r),
      renderSarif(r),
      renderJunit(r),
      renderItf(r),
      renderHtml(r, { layout, sources: fixtureSources() }),
    ];
    t.deepEqual(render(), render(), name);
    t.is(JSON.stringify(r), before, `${name} was not mutated`);
  }
});
