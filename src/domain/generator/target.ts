/**
 * The daily target `HHIncome+Consumption+Residues/Day` as a monotone function of a household's latent
 * wealth `z ~ N(0, 1)`, one function per district.
 *
 * A plain log-normal (μ≈0.673, σ≈0.517) misses the real class shares by 1–2 points, so the log target is
 * piecewise linear in `z` with knots at the class thresholds, placed at the z-quantiles that give each
 * district its real vulnerability rate (SEED_SPEC §9) and the overall class split (§2: 45.6 % of the
 * vulnerable are Severely Struggling, 23.8 % of the rest are At Risk). The tails are log-normal with a
 * slope per district chosen to match the district means (2.27 / 2.17 / 2.48 / 2.03 USD/day).
 */
import type { District } from '../fields.js';
import { LABEL_THRESHOLDS } from '../labels.js';
import { DISTRICT_PROFILES } from './gazetteer.js';

/** Share of the vulnerable who are Severely Struggling (757 / 1,658). */
const SEVERE_SHARE_OF_VULNERABLE = 0.4565;
/** Share of the non-vulnerable who are At Risk (535 / 2,239). */
const AT_RISK_SHARE_OF_REST = 0.2389;
/** Lower-tail slope of ln(target) per unit of z. */
const LOWER_SLOPE = 0.5;
/** Upper-tail slope of ln(target) per unit of z, per district. */
const UPPER_SLOPE: Readonly<Record<District, number>> = {
  Rukungiri: 0.58,
  Mitooma: 0.6,
  Kanungu: 0.38,
  Rubanda: 0.45,
};

/** Bounds of the generated target (real range 0.12–8.41). */
export const TARGET_MIN = 0.1;
export const TARGET_MAX = 8.5;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const a = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  const erf = 1 - poly * Math.exp(-a * a);
  return 0.5 * (1 + (x >= 0 ? erf : -erf));
}

/** Inverse of {@link normalCdf} by bisection (used only to place a few knots). */
export function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

interface Knots {
  readonly z: readonly [number, number, number];
  readonly log: readonly [number, number, number];
  readonly upper: number;
}

function knotsFor(district: District): Knots {
  const rate = DISTRICT_PROFILES[district].vulnerableRate;
  const severe = rate * SEVERE_SHARE_OF_VULNERABLE;
  const atRisk = (1 - rate) * AT_RISK_SHARE_OF_REST;
  return {
    z: [normalQuantile(severe), normalQuantile(rate), normalQuantile(rate + atRisk)],
    log: [
      Math.log(LABEL_THRESHOLDS.struggling),
      Math.log(LABEL_THRESHOLDS.atRisk),
      Math.log(LABEL_THRESHOLDS.onTrack),
    ],
    upper: UPPER_SLOPE[district],
  };
}

const KNOTS: Readonly<Record<District, Knots>> = {
  Rukungiri: knotsFor('Rukungiri'),
  Mitooma: knotsFor('Mitooma'),
  Kanungu: knotsFor('Kanungu'),
  Rubanda: knotsFor('Rubanda'),
};

const lerp = (x: number, x0: number, x1: number, y0: number, y1: number): number =>
  y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);

/** The daily target (USD/day, unrounded, untruncated) of a household with latent wealth `z`. */
export function targetFromWealth(district: District, z: number): number {
  const {
    z: [z1, z2, z3],
    log: [l1, l2, l3],
    upper,
  } = KNOTS[district];
  let logT: number;
  if (z < z1) logT = l1 + LOWER_SLOPE * (z - z1);
  else if (z < z2) logT = lerp(z, z1, z2, l1, l2);
  else if (z < z3) logT = lerp(z, z2, z3, l2, l3);
  else logT = l3 + upper * (z - z3);
  return Math.exp(logT);
}

/** Median ln(target) of a district, i.e. at z = 0 (used to offset observable wealth by district). */
export function districtLogMedian(district: District): number {
  return Math.log(targetFromWealth(district, 0));
}
