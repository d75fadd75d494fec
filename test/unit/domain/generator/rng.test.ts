import { describe, expect, it } from 'vitest';
import { Rng, mixSeed } from '../../../../src/domain/generator/index.js';

const draw = (rng: Rng, n: number, f: (r: Rng) => number): number[] =>
  Array.from({ length: n }, () => f(rng));
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

describe('Rng', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = draw(new Rng(1), 5, (r) => r.uint32());
    expect(draw(new Rng(1), 5, (r) => r.uint32())).toEqual(a);
    expect(draw(new Rng(2), 5, (r) => r.uint32())).not.toEqual(a);
  });

  it('derives independent streams per (seed, stream, index)', () => {
    const first = (s: number, st: number, i: number): number => Rng.derive(s, st, i).uint32();
    expect(first(1, 1, 0)).toBe(first(1, 1, 0));
    expect(new Set([first(1, 1, 0), first(1, 1, 1), first(1, 2, 0), first(2, 1, 0)]).size).toBe(4);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const xs = draw(new Rng(3), 20_000, (r) => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });

  it('draws normals, log-normals and Poissons with the requested moments', () => {
    const rng = new Rng(4);
    const normals = draw(rng, 20_000, (r) => r.normal(2, 3));
    expect(mean(normals)).toBeCloseTo(2, 1);
    expect(sd(normals)).toBeCloseTo(3, 1);
    const logs = draw(rng, 20_000, (r) => Math.log(r.lognormal(0.5, 0.4)));
    expect(mean(logs)).toBeCloseTo(0.5, 1);
    const counts = draw(rng, 20_000, (r) => r.poisson(3.8));
    expect(mean(counts)).toBeCloseTo(3.8, 1);
    expect(counts.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
  });

  it('picks indices in proportion to weights and never a zero weight', () => {
    const idx = draw(new Rng(5), 20_000, (r) => r.weighted([1, 0, 3]));
    expect(idx.filter((i) => i === 1)).toHaveLength(0);
    expect(idx.filter((i) => i === 2).length / idx.length).toBeCloseTo(0.75, 1);
  });
});
