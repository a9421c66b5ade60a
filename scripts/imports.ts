/**
 * The import graph between top-level folders, read with the TypeScript parser (so comments and
 * strings never count). `test/core/layering.test.ts` checks the layering rules against it; run directly
 * it prints the table of relative imports from each folder to each other folder:
 *
 *   npx tsx scripts/imports.ts            # every import; then each layering violation (exit 1 if any)
 *   npx tsx scripts/imports.ts --runtime  # only imports that exist at run time (no `import type`)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../core/project-root.js';

export interface ImportEdge {
  /** File that imports, relative to the project root (forward slashes). */
  from: string;
  /** Imported file, relative to the project root (forward slashes, the specifier's extension). */
  to: string;
  line: number;
  /** True when the import disappears at run time: `import type`, `export type`, `import('x').T`. */
  typeOnly: boolean;
  /** An `import()` expression: loaded when the code runs, not when the module loads. */
  dynamic: boolean;
}

/** The folders the table and the layering rules are about. */
export const TOP_FOLDERS = ['core', 'server', 'relayer', 'strategies', 'verify', 'scripts', 'bench', 'test', 'prisma', 'web'];

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function allSpecifiersAreTypes(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x.js'`: a side effect, so run time
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** Every relative import in one file. */
export function importsOf(file: string, root = projectRoot): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, node: ts.Node, typeOnly: boolean, dynamic = false): void => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = specifier.text;
    if (!target.startsWith('.')) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    edges.push({
      from: relative(root, file).split(sep).join('/'),
      to: relative(root, resolve(dirname(file), target))
        .split(sep)
        .join('/'),
      line,
      typeOnly,
      dynamic,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node, allSpecifiersAreTypes(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause : undefined;
      const typeOnly = node.isTypeOnly || (named !== undefined && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], node, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The top-level folder of a root-relative path ('' for files at the root). */
export function topFolder(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Every relative import in the given top-level folders. */
export function importGraph(folders = TOP_FOLDERS, root = projectRoot): ImportEdge[] {
  return folders.flatMap((folder) => sourceFiles(join(root, folder)).flatMap((file) => importsOf(file, root)));
}

/** Count of imports from one top-level folder into another (same-folder imports left out). */
export function folderTable(edges: ImportEdge[]): Map<string, Map<string, number>> {
  const table = new Map<string, Map<string, number>>();
  for (const edge of edges) {
    const from = topFolder(edge.from);
    const to = topFolder(edge.to) || edge.to;
    if (from === to) continue;
    const row = table.get(from) ?? new Map<string, number>();
    row.set(to, (row.get(to) ?? 0) + 1);
    table.set(from, row);
  }
  return table;
}

/**
 * Which top-level folder may not import which. server/ and relayer/ are two processes over one
 * core/; strategies are plugins below the server; scripts/, bench/ and test/ are tools that may use
 * anything, and nothing a process runs may load them. verify/ is the members' independent check of
 * a proposal: it shares no code with what it checks. `typeOnly: true` would allow `import type`;
 * no rule needs it, so type imports count as well (a type import still ties the folders' designs).
 */
export const LAYERING_RULES: readonly { from: string; to: string; why: string }[] = [
  { from: 'relayer', to: 'server', why: 'two processes: what both need lives in core/' },
  { from: 'server', to: 'relayer', why: 'two processes: what both need lives in core/' },
  { from: 'core', to: 'server', why: 'core is below both processes' },
  { from: 'core', to: 'relayer', why: 'core is below both processes' },
  { from: 'core', to: 'strategies', why: 'strategies build on core (a cycle otherwise)' },
  { from: 'strategies', to: 'server', why: 'strategies get what they need from core or their context' },
  { from: 'strategies', to: 'relayer', why: 'strategies get what they need from core or their context' },
  ...['server', 'relayer', 'core', 'strategies'].map((to) => ({
    from: 'verify',
    to,
    why: 'the verifier checks the server with code of its own (verify/README.md)',
  })),
  ...['core', 'server', 'relayer', 'strategies', 'verify'].flatMap((from) =>
    ['scripts', 'bench', 'test'].map((to) => ({ from, to, why: 'development tools are not part of a running process' })),
  ),
];

export interface LayeringViolation extends ImportEdge {
  why: string;
}

/** Every import that breaks a layering rule, as `file:line -> target (why)`. */
export function layeringViolations(edges: ImportEdge[], rules = LAYERING_RULES): LayeringViolation[] {
  const violations: LayeringViolation[] = [];
  for (const edge of edges) {
    const rule = rules.find((r) => r.from === topFolder(edge.from) && r.to === topFolder(edge.to));
    if (rule) violations.push({ ...edge, why: rule.why });
  }
  return violations;
}

export function formatViolation(v: LayeringViolation): string {
  return `${v.from}:${v.line} imports ${v.to}${v.typeOnly ? ' (type only)' : ''}: ${topFolder(v.from)}/ may not import ${topFolder(v.to)}/ (${v.why})`;
}

/**
 * File-level cycles among run-time imports (type imports vanish, so they cannot form one). Dynamic
 * `import()` edges count only with `includeDynamic`: a lazy import is how a cycle is broken today
 * (strategies/ composites), so by default only static cycles fail.
 */
export function runtimeCycles(edges: ImportEdge[], options: { includeDynamic?: boolean } = {}): string[][] {
  const normal = (path: string) => path.replace(/\.(js|ts)$/, '');
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.typeOnly || (edge.dynamic && !options.includeDynamic)) continue;
    const from = normal(edge.from);
    const targets = graph.get(from) ?? new Set<string>();
    targets.add(normal(edge.to));
    graph.set(from, targets);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!seen) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

function printTable(edges: ImportEdge[]): void {
  const table = folderTable(edges);
  const columns = [...new Set([...table.values()].flatMap((row) => [...row.keys()]))].sort();
  const rows = [...table.keys()].sort();
  console.log(`| from \\ to | ${columns.join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---:').join('|')}|`);
  for (const from of rows) {
    const row = table.get(from)!;
    console.log(`| ${from} | ${columns.map((to) => String(row.get(to) ?? '')).join(' | ')} |`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(projectRoot, 'scripts/imports.ts')) {
  const runtimeOnly = process.argv.includes('--runtime');
  const edges = importGraph().filter((edge) => !runtimeOnly || !edge.typeOnly);
  printTable(edges);
  const violations = layeringViolations(edges);
  for (const violation of violations) console.log(formatViolation(violation));
  if (violations.length > 0) process.exitCode = 1;
}
