// @ts-check
import { builtinModules } from 'node:module';
import path from 'node:path';
import { IMPORT_TABLE, TEST_EXTRAS } from './import-table.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules);

/** The top-level folder a project file lives in; `(root)` for files at the top. */
function folderOf(file) {
  const relative = path.relative(ROOT, file);
  if (relative.startsWith('..')) return null;
  const [first, ...rest] = relative.split(path.sep);
  return rest.length === 0 ? '(root)' : first;
}

/** What an import names: a project folder, Node's built-ins, or a package. */
function classify(source, file) {
  if (source.startsWith('.') || source.startsWith('/')) {
    const target = path.resolve(path.dirname(file), source);
    return { kind: 'folder', name: folderOf(target) ?? '(outside the project)' };
  }
  if (source.startsWith('node:') || BUILTINS.has(source.split('/')[0])) return { kind: 'package', name: 'node' };
  const parts = source.split('/');
  return { kind: 'package', name: source.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0] };
}

const matches = (allowed, name) =>
  allowed.some((entry) => entry === '*' || entry === name || (entry.endsWith('/*') && name.startsWith(entry.slice(0, -1))));

/** @type {import('eslint').Rule.RuleModule} */
export const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'every import must be allowed by .eslint/import-table.js' },
    schema: [{ type: 'object', properties: { test: { type: 'boolean' } }, additionalProperties: false }],
    messages: {
      unknownFolder: 'folder "{{folder}}" is not in .eslint/import-table.js: add it there, with what it may import',
      folder: '{{from}}/ may not import {{to}}/ (allowed: {{allowed}}) — see .eslint/import-table.js',
      package: '{{from}}/ may not import the package "{{name}}" (allowed: {{allowed}}) — see .eslint/import-table.js',
    },
  },
  create(context) {
    const file = context.filename;
    const from = folderOf(file);
    if (from === null) return {};
    const row = IMPORT_TABLE[from];
    const isTest = Boolean(context.options[0]?.test);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!row) return; // reported once, on the file
      const target = classify(source, file);
      const folders = isTest ? [...row.folders, ...TEST_EXTRAS.folders] : row.folders;
      const packages = isTest ? [...row.packages, ...TEST_EXTRAS.packages] : row.packages;
      if (target.kind === 'folder' && !matches(folders, target.name))
        context.report({ node, messageId: 'folder', data: { from, to: target.name, allowed: folders.join(', ') } });
      if (target.kind === 'package' && !matches(packages, target.name))
        context.report({ node, messageId: 'package', data: { from, name: target.name, allowed: packages.join(', ') || 'none' } });
    };
    return {
      Program(node) {
        if (!row) context.report({ node, messageId: 'unknownFolder', data: { folder: from } });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
