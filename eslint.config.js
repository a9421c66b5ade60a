// ESLint (flat config) with typescript-eslint. Formatting is Prettier's (.prettierrc.json), so
// eslint-config-prettier turns the stylistic rules off. The folder layering is also a rule here
// (no-restricted-imports per folder), so an editor shows a wrong import as it is typed;
// test/core/layering.test.ts checks the same rules from the resolved paths (scripts/imports.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** A relative import that climbs out of the file's folder into `folder`, at any depth. */
const into = (folder) => `^(\\.\\./)+${folder}(/|$)`;
const forbid = (folders, message) => folders.map((folder) => ({ regex: into(folder), message }));
const tools = forbid(['scripts', 'bench', 'test'], 'development tools are not part of a running process');

/** core/README.md: server/ and relayer/ depend on core/, never on each other; core/ on neither. */
const layering = [
  {
    files: ['core/**/*.ts'],
    patterns: [...forbid(['server', 'relayer'], 'core is below both processes'), ...forbid(['strategies'], 'strategies build on core'), ...tools],
  },
  { files: ['server/**/*.ts'], patterns: [...forbid(['relayer'], 'two processes: what both need lives in core/'), ...tools] },
  { files: ['relayer/**/*.ts'], patterns: [...forbid(['server'], 'two processes: what both need lives in core/'), ...tools] },
  { files: ['strategies/**/*.ts'], patterns: [...forbid(['server', 'relayer'], 'strategies get what they need from core or their context'), ...tools] },
  {
    files: ['verify/**/*.ts'],
    patterns: [...forbid(['server', 'relayer', 'core', 'strategies'], 'the verifier checks the server with code of its own (verify/README.md)'), ...tools],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'server/generated/', 'web/dist/', 'web/src/api/schema.d.ts', 'test-artifacts/', '.tap/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // tsc checks these (noUnusedLocals, noUnusedParameters); `_name` marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // The message parsers look for control characters on purpose (they are refused).
      'no-control-regex': 'off',
      // A `let` read by a cleanup closure declared before its one assignment cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // Tests and tools read loosely typed JSON answers and poke at internals; `any` there is honest.
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...layering.map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
  },
  prettier,
);
