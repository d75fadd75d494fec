#!/usr/bin/env node
// Fails when src/gen is not what `buf generate` makes from proto/ today (and runs `buf lint`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buf = join(root, 'node_modules', '.bin', 'buf');

function must(argv) {
  const r = spawnSync(buf, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

must(['lint']);
const out = mkdtempSync(join(tmpdir(), 'surveystream-gen-'));
try {
  must(['generate', '--output', out]);
  const fresh = join(out, 'src', 'gen');
  const committed = join(root, 'src', 'gen');
  const a = files(fresh).map((f) => relative(fresh, f)).sort();
  const b = files(committed).map((f) => relative(committed, f)).sort();
  const stale = a.filter((f) => !b.includes(f) || readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'));
  const extra = b.filter((f) => !a.includes(f));
  if (stale.length + extra.length > 0) {
    process.stderr.write(`src/gen is out of date with proto/ (${[...stale, ...extra].join(', ')}). Run: npm run gen\n`);
    process.exit(1);
  }
  process.stderr.write('src/gen is current\n');
} finally {
  rmSync(out, { recursive: true, force: true });
}
