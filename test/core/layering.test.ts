/**
 * The folder layering (core/README.md): server/ and relayer/ depend on core/ and never on each
 * other; core/ depends on neither; strategies/ not on the server; nothing a process runs loads
 * scripts/, bench/ or test/. Read from the sources with the TypeScript parser (scripts/imports.ts),
 * so a comment or a string never counts and `import type` is seen as such.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatViolation, importGraph, layeringViolations, runtimeCycles } from '../../scripts/imports.js';
import { projectRoot } from '../../core/project-root.js';

t.test('no folder imports one it must not', async (t) => {
  const edges = importGraph(['core', 'server', 'relayer', 'strategies', 'verify']);
  t.ok(
    edges.some((e) => e.from.startsWith('verify/')),
    'the scan sees the verifier',
  );
  t.ok(edges.length > 300, `the scan sees the imports (${edges.length})`);
  const violations = layeringViolations(edges).map(formatViolation);
  t.same(violations, [], violations.join('\n'));
});

t.test('no static import cycle between files of a running process', async (t) => {
  const cycles = runtimeCycles(importGraph(['core', 'server', 'relayer', 'strategies']));
  t.same(
    cycles.map((cycle) => cycle.join(' -> ')),
    [],
  );
});

t.test('the check catches a wrong import, and only imports count', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'govrelay-layering-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('server/config.ts', 'export const x = 1;\n');
  write('scripts/tool.ts', 'export type Tool = { name: string };\nexport const tool = 1;\n');
  write('core/queues.ts', 'export const q = 1;\n');
  write(
    'relayer/bad.ts',
    [
      "// import { x } from '../server/config.js'; a comment does not count",
      'const text = "import { x } from \'../server/config.js\'";',
      "import { q } from '../core/queues.js';",
      "import { x } from '../server/config.js';",
      'export const y = x + q + text.length;',
      '',
    ].join('\n'),
  );
  write('core/lazy.ts', "export async function f() { return import('../scripts/tool.js'); }\n");
  write('strategies/typed.ts', "import type { Tool } from '../scripts/tool.js';\nexport const t: Tool | null = null;\n");
  write('verify/tally.ts', "import { q } from '../core/queues.js';\nimport type { Tool } from '../scripts/tool.js';\nexport const n: Tool | number = q;\n");
  write('verify/own.ts', "import { n } from './tally.js';\nexport const m = n;\n");

  const violations = layeringViolations(importGraph(['core', 'server', 'relayer', 'strategies', 'verify', 'scripts'], root))
    .map(formatViolation)
    .sort();
  t.same(violations, [
    'core/lazy.ts:1 imports scripts/tool.js: core/ may not import scripts/ (development tools are not part of a running process)',
    'relayer/bad.ts:4 imports server/config.js: relayer/ may not import server/ (two processes: what both need lives in core/)',
    'strategies/typed.ts:1 imports scripts/tool.js (type only): strategies/ may not import scripts/ (development tools are not part of a running process)',
    'verify/tally.ts:1 imports core/queues.js: verify/ may not import core/ (the verifier checks the server with code of its own (verify/README.md))',
    'verify/tally.ts:2 imports scripts/tool.js (type only): verify/ may not import scripts/ (development tools are not part of a running process)',
  ]);

  write('core/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
  write('core/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
  write('core/c.ts', "import type { D } from './d.js';\nexport type C = D | null;\n");
  write('core/d.ts', "import type { C } from './c.js';\nexport type D = C | 1;\n");
  t.same(
    runtimeCycles(importGraph(['core'], root)).map((cycle) => cycle.join(' -> ')),
    ['core/a -> core/b -> core/a'],
    'a static cycle is found; a type-only one is not',
  );
});

t.test("ESLint's layering rule refuses the verifier an import of the code it checks", async (t) => {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: projectRoot });
  const lint = async (text: string) =>
    (await eslint.lintText(text, { filePath: join(projectRoot, 'verify', 'layering-probe.ts') }))[0]!.messages.filter(
      (m) => m.ruleId === 'no-restricted-imports',
    );
  for (const folder of ['server/eip712/digest', 'core/tally/types', 'relayer/relayer', 'strategies/index']) {
    const messages = await lint(`import * as x from '../${folder}.js';\nexport const y = x;\n`);
    t.equal(messages.length, 1, `verify/ importing ${folder} is an ESLint error`);
  }
  t.same(await lint("import { isqrt } from './isqrt.js';\nexport const y = isqrt;\n"), [], 'its own files are allowed');
});
