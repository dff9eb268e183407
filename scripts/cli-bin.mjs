// Makes the package's `bin` files executable after a build (tsc writes them 0644). `npx privlink`
// runs the file itself, so without the mode it fails with "Permission denied".
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(typeof bin === 'string' ? { bin } : bin)) chmodSync(join(root, file), 0o755);
