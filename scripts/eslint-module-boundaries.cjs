'use strict';
/**
 * ESLint rule `boundaries/generic-imports`: a generic part of Civitas (case core, workspace, portal,
 * admin, web, integrations, engine, platform, deadlines, documents, delivery, parameters, persons,
 * the generic activities and the workflow kit) never imports a process: nothing under src/modules/,
 * workflows/<process>/ or activities/<process>/. Processes reach the platform through their
 * manifests, not the other way round (issue 13 item 5). Paths are resolved against the repository
 * root, so `../modules/x` and `src/modules/x` (baseUrl) are both caught, whatever the depth.
 * Plain CommonJS, no dependency: eslint.config.mjs and its unit test load it.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Folders whose code must stay process-neutral. */
const GENERIC = [
  'src/cases',
  'src/workspace',
  'src/portal',
  'src/admin',
  'src/web',
  'src/integrations',
  'src/engine',
  'src/platform',
  'src/deadlines',
  'src/documents',
  'src/delivery',
  'src/parameters',
  'src/persons',
  'src/correspondence',
  'activities/case',
  'activities/delivery',
  'activities/documents',
  'activities/deadlines',
  'workflows/kit',
];
/** activities/<concern>/ folders that serve every process; any other activities/<x>/ belongs to a process. */
const GENERIC_ACTIVITIES = new Set(['case', 'delivery', 'documents', 'deadlines']);

const inside = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`);
const isDirectory = (p) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Why importing `rel` (repository-relative, without extension) is a process import, or null. Files
 * directly in workflows/ or activities/ (the registration lists index.ts, the Temporal entry and
 * contract) are not a process: only their subfolders are.
 */
function processTarget(rel, root) {
  if (inside(rel, 'src/modules')) return 'src/modules/';
  const [top, folder, ...rest] = rel.split('/');
  if (!folder || (top !== 'workflows' && top !== 'activities')) return null;
  if (rest.length === 0 && !isDirectory(path.join(root, top, folder))) return null;
  if (top === 'workflows' && folder !== 'kit') return `workflows/${folder}/`;
  if (top === 'activities' && !GENERIC_ACTIVITIES.has(folder)) return `activities/${folder}/`;
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Generic parts do not import process modules (src/modules, workflows/<process>, activities/<process>).',
    },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' } },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      process:
        '{{from}} is generic and must not import from {{target}} ("{{spec}}"): let the process register itself through its manifest.',
    },
  },
  create(context) {
    const root = context.options[0].root;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = GENERIC.find((d) => inside(file, d));
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let abs;
      if (spec.startsWith('.')) abs = path.resolve(path.dirname(context.filename), spec);
      else if (/^(src|activities|workflows)\//.test(spec)) abs = path.resolve(root, spec);
      else return;
      const target = processTarget(path.relative(root, abs).split(path.sep).join('/'), root);
      if (target)
        context.report({ node, messageId: 'process', data: { from: `${from}/`, target, spec } });
    };
    const source = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        // typescript-eslint 8 names it `source`; older versions wrap the literal in `argument`.
        const arg = 'source' in node ? node.source : node.argument && node.argument.literal;
        if (arg && arg.type === 'Literal') check(arg, arg.value);
      },
      TSExternalModuleReference: (node) =>
        node.expression.type === 'Literal' && check(node.expression, node.expression.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0] &&
          node.arguments[0].type === 'Literal'
        ) {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};

module.exports = { rule, GENERIC, processTarget };
