import { describe, expect, it } from 'vitest';
import { AlertManager, type Alert, type Condition } from '../../../src/monitor/alerts.js';

const cond = (firing: boolean, feature = 'Assets'): Condition => ({
  kind: 'drift', severity: 'warning', labels: { model_version: '1.0.0', feature }, firing, value: firing ? 0.3 : 0.01, threshold: 0.1, summary: 's', modelVersion: '1.0.0',
});

describe('AlertManager', () => {
  it('fires once per (kind, labels) and resolves when the condition clears', async () => {
    const sent: Alert[] = [];
    const m = new AlertManager([(a) => Promise.resolve(sent.push(a))]);
    await m.evaluate([cond(true), cond(false, 'TimeToOPD')]);
    await m.evaluate([cond(true)]);
    expect(sent.map((a) => a.status)).toEqual(['firing']);
    expect(sent[0]).toMatchObject({ kind: 'drift', severity: 'warning', labels: { feature: 'Assets' }, model_version: '1.0.0' });
    await m.evaluate([cond(false)]);
    expect(sent.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(sent[1]!.id).toBe(sent[0]!.id);
    expect(sent[1]!.resolved_at).toBeDefined();
    expect(m.firing).toEqual([]);
  });
  it('does not fire again an alert restored as firing, and a failing sink does not stop the others', async () => {
    const sent: Alert[] = [];
    const m = new AlertManager([() => Promise.reject(new Error('down')), (a) => Promise.resolve(sent.push(a))]);
    m.restore([{ id: 'x', kind: 'drift', severity: 'warning', status: 'firing', summary: '', labels: { model_version: '1.0.0', feature: 'Assets' }, value: 1, threshold: 0.1, fired_at: new Date().toISOString() }]);
    await m.evaluate([cond(true)]);
    expect(sent).toEqual([]);
    await m.evaluate([cond(false)]);
    expect(sent.map((a) => [a.id, a.status])).toEqual([['x', 'resolved']]);
  });
});
