// Compiles the Civitas theme (GOV.UK Frontend + MoJ Frontend via Sass) and copies the browser
// assets the pages use into dist/public, served under /assets.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'public');
const nm = (p) => join(root, 'node_modules', p);
mkdirSync(join(out, 'js'), { recursive: true });

const css = sass.compile(join(root, 'src/web/styles/civitas.scss'), {
  loadPaths: [root, nm('')],
  style: 'compressed',
  quietDeps: true,
  logger: sass.Logger.silent,
});
writeFileSync(join(out, 'civitas.css'), css.css);

cpSync(nm('govuk-frontend/dist/govuk/assets/images'), join(out, 'govuk/images'), {
  recursive: true,
});
cpSync(
  nm('govuk-frontend/dist/govuk/govuk-frontend.min.js'),
  join(out, 'js/govuk-frontend.min.js'),
);
cpSync(
  nm('@ministryofjustice/frontend/moj/moj-frontend.min.js'),
  join(out, 'js/moj-frontend.min.js'),
);
cpSync(nm('chart.js/dist/chart.umd.min.js'), join(out, 'js/chart.umd.min.js'));
cpSync(join(root, 'src/web/scripts'), join(out, 'js'), { recursive: true });
// A process module's page scripts live in its folder (src/modules/<module>/scripts).
for (const m of readdirSync(join(root, 'src/modules'))) {
  const scripts = join(root, 'src/modules', m, 'scripts');
  if (existsSync(scripts)) cpSync(scripts, join(out, 'js'), { recursive: true });
}
console.log(`assets: ${Math.round(css.css.length / 1024)} KiB CSS -> dist/public`);
