// Builds the web console (console/ → dist/console, served by privlink at `/`) and prints the size
// of its first page, gzipped: index.html and every script and style sheet it loads, against the
// 400 KB target. Run by `npm ci` (prepare) and `npm run build:console`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const TARGET_KB = 400;
const config = fileURLToPath(new URL('../console/vite.config.mjs', import.meta.url));
const out = fileURLToPath(new URL('../dist/console/', import.meta.url));

await build({ configFile: config, logLevel: 'error' });

const html = readFileSync(join(out, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const files = ['index.html', ...assets];
let total = 0;
for (const file of files) {
  const gz = gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
  total += gz;
  console.log(`  ${file.padEnd(40)} ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped`);
}
const verdict = total / 1024 <= TARGET_KB ? 'within' : 'OVER';
console.log(`console first page: ${(total / 1024).toFixed(1)} KB gzipped (target < ${TARGET_KB} KB: ${verdict})`);
