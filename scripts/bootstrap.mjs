#!/usr/bin/env node
// Installs what surveystream needs, using only Node's standard library (it runs before npm install):
//  - npm dependencies, when node_modules is missing or older than package.json / package-lock.json;
//  - nats-server through apt-get when it is missing (as root), else a clear instruction;
//  - with --test: the Debian tools the tests cross-check against (python3-onnx, python3-sklearn,
//    python3-grpcio, promtool), again only when missing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = new Set(process.argv.slice(2));
const log = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 4)) {
    log(`Node ${process.versions.node} is too old: surveystream needs Node >= 20.4`);
    process.exit(1);
  }
}

export function depsStamp() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'package-lock.json')));
  hash.update(JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.overrides, pkg.allowScripts]));
  return hash.digest('hex');
}

function npmDeps() {
  const stampFile = join(root, 'node_modules', '.surveystream-stamp');
  // Only what decides the installed tree counts (editing a script must not trigger a reinstall).
  const want = depsStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return;
  log('installing npm dependencies (npm ci)…');
  // onnxruntime-node's postinstall is denied in package.json (allowScripts); its CPU binaries are bundled.
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) {
    log('npm ci failed; see the output above');
    process.exit(1);
  }
  writeFileSync(stampFile, want);
}

function onPath(bin) {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin']);
  return dirs.some((d) => d && existsSync(join(d, bin)));
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;

function aptInstall(packages, why) {
  if (!isRoot || !onPath('apt-get')) {
    log(`missing: ${why}. Install with: sudo apt-get install -y ${packages.join(' ')}`);
    return false;
  }
  log(`installing ${packages.join(' ')} with apt-get (${why})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  return run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

function natsServer() {
  if (process.env.NATS_URL || onPath('nats-server')) return;
  if (!aptInstall(['nats-server'], 'nats-server (embedded NATS JetStream for dev, demo and tests)')) {
    process.exit(1);
  }
}

function pythonHas(module) {
  return spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

function testTools() {
  const wanted = [];
  if (!existsSync('/usr/bin/python3') || !pythonHas('onnx')) wanted.push('python3-onnx');
  if (!existsSync('/usr/bin/python3') || !pythonHas('sklearn')) wanted.push('python3-sklearn');
  if (!existsSync('/usr/bin/python3') || !pythonHas('grpc')) wanted.push('python3-grpcio', 'python3-grpc-tools', 'python3-protobuf');
  if (!onPath('promtool')) wanted.push('prometheus');
  if (wanted.length > 0) aptInstall(wanted, 'cross-check tools for the tests (tests that need them are skipped otherwise)');
}

if (args.has('--stamp-only')) {
  // For developers who ran `npm install` themselves: record the current tree as installed.
  writeFileSync(join(root, 'node_modules', '.surveystream-stamp'), depsStamp());
  process.exit(0);
}
checkNode();
npmDeps();
natsServer();
if (args.has('--test')) testTools();
