// ESLint flat config: ESLint's and typescript-eslint's recommended rules, without the type-aware ones (no
// parserOptions.project), so that linting stays fast. Run by `npm run lint` (eslint checker reports test bench).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'test/golden/expected/',
      'test/reports/fixtures/',
      'specs/',
      'models/',
      'checker/spec/schema-validators.generated.ts',
      'checker/result-validator.generated.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Deliberate: ANSI escapes (\x1b) are matched in the terminal output, and diagnostics escape control
      // characters in names; those regular expressions have to name control characters.
      'no-control-regex': 'off',
      // Deliberate: expected output is matched literally, indentation included ("\n    hint: ").
      'no-regex-spaces': 'off',
      // reports/html/graphs.ts loads @viz-js/viz with require() on purpose (an ESM package with a CommonJS
      // build, which node16 resolution would not let a CommonJS module import); everything else imports.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^@viz-js/viz$'] }],
      // A leading underscore marks a binding that is there on purpose but unused (e.g. destructuring a key
      // away before a rest element); so does a rest sibling.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The oracle walks specs as raw JSON, deliberately without the engine's types (it must not share them).
    files: ['test/oracle/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
