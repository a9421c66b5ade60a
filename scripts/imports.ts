/**
 * The import graph between top-level folders, read with the TypeScript parser (so comments and
 * strings never count). `test/layering.test.ts` checks the layering rules against it; run directly
 * it prints the table of relative imports from each folder to each other folder:
 *
 *   npx tsx scripts/imports.ts            # every import
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
}

/** The folders the table and the layering rules are about. */
export const TOP_FOLDERS = ['core', 'server', 'relayer', 'strategies', 'scripts', 'bench', 'test', 'prisma', 'web'];

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
  const add = (specifier: ts.Expression | undefined, node: ts.Node, typeOnly: boolean): void => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = specifier.text;
    if (!target.startsWith('.')) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    edges.push({
      from: relative(root, file).split(sep).join('/'),
      to: relative(root, resolve(dirname(file), target)).split(sep).join('/'),
      line,
      typeOnly,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node, allSpecifiersAreTypes(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause : undefined;
      const typeOnly =
        node.isTypeOnly || (named !== undefined && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], node, false);
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
}
