/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for smooth convex objectives.
 */

/** Objective: returns f(w) and writes ∇f(w) into `grad`. */
export type Objective = (w: Float64Array, grad: Float64Array) => number;

/** L-BFGS settings. */
export interface LbfgsOptions {
  /** @default 200 */
  readonly maxIter?: number;
  /** History size. @default 10 */
  readonly memory?: number;
  /** Stop when the gradient's max-abs entry is below this. @default 1e-6 */
  readonly gradTol?: number;
  /** Stop when the relative decrease of f is below this. @default 1e-10 */
  readonly funcTol?: number;
}

/** Result of a minimisation. */
export interface LbfgsResult {
  readonly w: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Two-loop recursion: returns the search direction −H·g. */
function direction(g: Float64Array, S: Float64Array[], Y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const k = S.length;
  const alpha = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    const rho = 1 / dot(Y[i]!, S[i]!);
    alpha[i] = rho * dot(S[i]!, q);
    for (let j = 0; j < q.length; j++) q[j] = q[j]! - alpha[i]! * Y[i]![j]!;
  }
  const gamma =
    k > 0
      ? dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!)
      : 1 / Math.max(1, Math.sqrt(dot(g, g)));
  for (let j = 0; j < q.length; j++) q[j] = q[j]! * gamma;
  for (let i = 0; i < k; i++) {
    const rho = 1 / dot(Y[i]!, S[i]!);
    const beta = rho * dot(Y[i]!, q);
    for (let j = 0; j < q.length; j++) q[j] = q[j]! + S[i]![j]! * (alpha[i]! - beta);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

interface Step {
  readonly w: Float64Array;
  readonly g: Float64Array;
  readonly f: number;
}

function lineSearch(fn: Objective, cur: Step, d: Float64Array): Step | null {
  const slope = dot(cur.g, d);
  if (!(slope < 0)) return null;
  let t = 1;
  for (let k = 0; k < 40; k++, t *= 0.5) {
    const w = cur.w.map((v, i) => v + t * d[i]!);
    const g = new Float64Array(w.length);
    const f = fn(w, g);
    if (f <= cur.f + 1e-4 * t * slope) return { w, g, f };
  }
  return null;
}

/** Minimises `fn` from `w0`. */
export function lbfgs(fn: Objective, w0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 200;
  const memory = opts.memory ?? 10;
  const gradTol = opts.gradTol ?? 1e-6;
  const funcTol = opts.funcTol ?? 1e-10;
  const g0 = new Float64Array(w0.length);
  let cur: Step = { w: Float64Array.from(w0), g: g0, f: fn(w0, g0) };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let it = 0; it < maxIter; it++) {
    if (maxAbs(cur.g) < gradTol) return { w: cur.w, f: cur.f, iterations: it, converged: true };
    const next = lineSearch(fn, cur, direction(cur.g, S, Y));
    if (!next)
      return { w: cur.w, f: cur.f, iterations: it, converged: maxAbs(cur.g) < gradTol * 100 };
    const s = next.w.map((v, i) => v - cur.w[i]!);
    const y = next.g.map((v, i) => v - cur.g[i]!);
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
    const decrease = (cur.f - next.f) / Math.max(Math.abs(cur.f), Math.abs(next.f), 1);
    cur = next;
    if (decrease < funcTol) return { w: cur.w, f: cur.f, iterations: it + 1, converged: true };
  }
  return { w: cur.w, f: cur.f, iterations: maxIter, converged: false };
}
