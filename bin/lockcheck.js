#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (npm run build).
'use strict';
let main;
try {
  main = require('../dist/checker/cli/main.js').main;
} catch (e) {
  process.stderr.write('lockcheck: not built yet: run `npm run build` first\n');
  process.exit(2);
}
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
