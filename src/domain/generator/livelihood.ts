/**
 * Income components, produce values and assets (annual USD), zero-inflated and driven by observable
 * wealth only (never by the target), so they inform a model without reconstructing the target.
 */
import type { SurveyValues } from '../fields.js';
import type { Latent } from './household.js';
import { flag } from './household.js';
import { round, sigmoid, type Rng } from './rng.js';

/** Log-normal amount in USD (2 decimals) with median `median` scaled by exp(beta·o). */
function amount(rng: Rng, median: number, beta: number, o: number, sigma: number): number {
  return round(median * Math.exp(beta * o + rng.normal(0, sigma)), 2);
}

/** Amount with probability sigmoid(base + slope·o), else 0. */
function maybe(
  rng: Rng,
  gate: readonly [number, number],
  size: readonly [number, number, number],
  o: number,
): number {
  return rng.bernoulli(sigmoid(gate[0] + gate[1] * o))
    ? amount(rng, size[0], size[1], o, size[2])
    : 0;
}

/** Off-farm income sources with their flags (work_salaried, work_casual, business_number, save_mode_7). */
export function offFarmColumns(rng: Rng, lat: Latent): SurveyValues {
  const o = lat.o;
  const salaried = flag(rng, -2.6, 0.9, o);
  const casual = flag(rng, -0.3, -0.5, o);
  const businesses = rng.bernoulli(sigmoid(-0.9 + 0.7 * o)) ? 1 + (rng.bernoulli(0.2) ? 1 : 0) : 0;
  const saver = flag(rng, -0.1, 0.4, o);
  const vsla = saver === 1 || rng.bernoulli(0.1) ? maybe(rng, [1.4, 0.3], [35, 0.4, 0.8], o) : 0;
  return {
    VSLA_Profits: vsla,
    FormalEmployment: salaried === 1 ? amount(rng, 600, 0.4, o, 0.7) : 0,
    PersonalBusinessAndSelfEmployment: businesses > 0 ? amount(rng, 180, 0.5, o, 0.9) : 0,
    CasualLabour: casual === 1 ? amount(rng, 120, 0.1, o, 0.7) : 0,
    RemittancesAndGifts: maybe(rng, [-1.1, 0.1], [40, 0.3, 1.0], o),
    RentIncome: maybe(rng, [-3.2, 0.8], [100, 0.3, 0.8], o),
    business_number: businesses,
    work_casual: casual,
    work_salaried: salaried,
    save_mode_7: saver,
  };
}

/** Seasonal sales and produce value for one season with `crops` crop types planted. */
function season(
  rng: Rng,
  o: number,
  crops: number,
  land: number,
): [number, number, number, number] {
  if (crops === 0) return [0, 0, 0, 0];
  const landEffect = 0.3 * Math.log(land + 0.5);
  const agricValue = round(
    100 * Math.exp(0.5 * o + landEffect + 0.1 * crops + rng.normal(0, 0.7)),
    2,
  );
  const cropIncome = rng.bernoulli(sigmoid(-0.2 + 0.6 * o))
    ? amount(rng, 55, 0.6, o + landEffect, 0.9)
    : 0;
  const vegValue = rng.bernoulli(0.55) ? amount(rng, 25, 0.4, o, 0.8) : 0;
  const vegIncome =
    vegValue > 0 && rng.bernoulli(0.5) ? round(vegValue * rng.uniform(0.2, 0.9), 2) : 0;
  return [agricValue, cropIncome, vegValue, vegIncome];
}

/** Crop, vegetable and livestock columns (season parts only; totals come from `deriveTotals`). */
export function farmColumns(
  rng: Rng,
  lat: Latent,
  crops: SurveyValues,
  land: number,
): SurveyValues {
  const o = lat.o;
  const [a1, c1, v1, i1] = season(rng, o, Number(crops['Season1CropsPlanted']), land);
  const [a2, c2, v2, i2] = season(rng, o, Number(crops['Season2CropsPlanted']), land);
  const perennial = Number(crops['PerennialCropsGrown']) > 0;
  return {
    Season1VegetableIncome: i1,
    Season2VegatableIncome: i2,
    Season1VegetableValue: v1,
    Season2VegetableValue: v2,
    Season1CropIncome: c1,
    Season2CropIncome: c2,
    PerenialCropIncome: perennial ? maybe(rng, [0.2, 0.7], [90, 0.7, 0.9], o) : 0,
    LivestockIncome: maybe(rng, [-0.6, 0.5], [70, 0.5, 0.9], o),
    Season1AgricValue: a1,
    Season2AgricValue: a2,
    PerennialAgricValue: perennial ? amount(rng, 130, 0.6, o, 0.8) : 0,
    LivestockIncomeConsumed: maybe(rng, [-0.85, 0.1], [30, 0.3, 0.8], o),
    LivestockAssetValue: maybe(rng, [0.6, 0.6], [200, 0.6, 0.9], o),
  };
}

/** Annual value of household assets (USD). */
export function assetsValue(rng: Rng, lat: Latent): number {
  return rng.bernoulli(0.05) ? 0 : Math.min(1500, amount(rng, 165, 0.45, lat.o, 0.6));
}
