#!/usr/bin/env node
/**
 * Lints a Prometheus scrape with `promtool check metrics`, limited to our own `surveystream_`
 * families (prom-client's default `nodejs_active_*_total` gauges break promtool's naming lint,
 * STACK_NOTES §8). Usage:
 *
 *   node scripts/promtool-check.mjs http://127.0.0.1:9464/metrics   (or a file, or - for stdin)
 *
 * Exit codes: promtool's (0 clean, 1 parse error, 3 lint problems); 4 = promtool not installed;
 * 2 = usage or fetch error.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: promtool-check.mjs <url|file|->\n');
  process.exit(2);
}

async function read(src) {
  if (src === '-') return readFileSync(0, 'utf8');
  if (/^https?:\/\//.test(src)) {
    const res = await fetch(src);
    if (!res.ok) throw new Error(`GET ${src}: HTTP ${res.status}`);
    return res.text();
  }
  return readFileSync(src, 'utf8');
}

/** Keeps the HELP/TYPE lines and samples of `surveystream_` families only. */
function ownFamilies(text) {
  const own = (name) => name.startsWith('surveystream_');
  return text
    .split('\n')
    .filter((line) => {
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (meta) return own(meta[2]);
      if (line.startsWith('#') || line.trim() === '') return false;
      return own(line);
    })
    .join('\n')
    .concat('\n');
}

let text;
try {
  text = ownFamilies(await read(source));
} catch (err) {
  process.stderr.write(`promtool-check: ${err.message}\n`);
  process.exit(2);
}
const families = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
if (run.error) {
  process.stderr.write(`promtool-check: promtool not found (${run.error.message}); install the Debian package "prometheus"\n`);
  process.exit(4);
}
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
process.stdout.write(`promtool-check: ${families.size} surveystream_ families, promtool exit ${run.status}\n`);
process.exit(run.status ?? 1);
