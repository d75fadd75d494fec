#!/usr/bin/env node
// `npm run bench <name> [-- args]`: runs bench/<name>-bench.ts (or bench/<name>.ts) with tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/(-bench)?\.ts$/, ''));
if (!name) {
  process.stdout.write(`usage: npm run bench <name> [-- args]\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
const file = [join(root, 'bench', `${name}-bench.ts`), join(root, 'bench', `${name}.ts`)].find((f) => existsSync(f));
if (!file) {
  process.stderr.write(`no benchmark "${name}"; available: ${available.join(', ')}\n`);
  process.exit(2);
}
const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [file, ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
