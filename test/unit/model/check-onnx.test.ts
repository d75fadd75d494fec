import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGbdtToOnnx, exportLogisticToOnnx } from '../../../src/model/index.js';
import { trainGbdt, trainLogistic } from '../../../src/train/index.js';
import { makeDataset, ringRule } from '../train/data.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '../../../scripts/check-onnx.py');

function pythonOnnx(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const version = pythonOnnx();
const dir = mkdtempSync(join(tmpdir(), 'check-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!version)(
  `scripts/check-onnx.py (${version ? `onnx ${version}` : `skipped: ${PYTHON} has no onnx module`})`,
  () => {
    it('accepts both exported models with full_check', () => {
      const d = makeDataset(800, 4, 1, ringRule(0.3));
      const names = ['a', 'b', 'c', 'd'];
      const gbdt = join(dir, 'gbdt.onnx');
      const lr = join(dir, 'logistic.onnx');
      writeFileSync(gbdt, exportGbdtToOnnx(trainGbdt(d, { nEstimators: 20 }), names));
      writeFileSync(lr, exportLogisticToOnnx(trainLogistic(d), names));
      const out = execFileSync(PYTHON, [SCRIPT, gbdt, lr], { encoding: 'utf8' });
      expect(out).toMatch(/OK .*gbdt\.onnx/);
      expect(out).toMatch(/OK .*logistic\.onnx/);
    });

    it('exits non-zero for an invalid file', () => {
      const bad = join(dir, 'bad.onnx');
      writeFileSync(bad, 'not a model');
      const r = spawnSync(PYTHON, [SCRIPT, bad], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/FAIL/);
    });
  },
);
