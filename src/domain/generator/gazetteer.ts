/**
 * Invented place names for the four real districts: clusters and villages that look like the survey's
 * (Runyankore/Rukiga-style syllables) but are not real places. The gazetteer is built once from a fixed
 * seed, so it is the same for every generator seed.
 */
import { DISTRICTS, type District } from '../fields.js';
import { Rng } from './rng.js';

/** District profile from SEED_SPEC §9 (real data, 3,897 households). */
export interface DistrictProfile {
  readonly district: District;
  /** Share of households. */
  readonly share: number;
  /** Share labelled vulnerable (Struggling or Severely Struggling). */
  readonly vulnerableRate: number;
  /** Mean household size. */
  readonly meanSize: number;
  /** Mean agricultural land (acres). */
  readonly meanLand: number;
  /** Number of villages (153 in total, proportional to the shares). */
  readonly villages: number;
  /** Number of clusters. */
  readonly clusters: number;
}

export const DISTRICT_PROFILES: Readonly<Record<District, DistrictProfile>> = {
  Rukungiri: p('Rukungiri', 0.338, 0.458, 4.6, 1.4, 52, 8),
  Mitooma: p('Mitooma', 0.253, 0.507, 5.1, 1.7, 39, 6),
  Kanungu: p('Kanungu', 0.212, 0.222, 5.0, 1.7, 32, 5),
  Rubanda: p('Rubanda', 0.197, 0.484, 4.8, 1.6, 30, 5),
};

function p(
  district: District,
  share: number,
  vulnerableRate: number,
  meanSize: number,
  meanLand: number,
  villages: number,
  clusters: number,
): DistrictProfile {
  return { district, share, vulnerableRate, meanSize, meanLand, villages, clusters };
}

/** A village and the cluster it belongs to. */
export interface Place {
  readonly district: District;
  readonly cluster: string;
  readonly village: string;
}

// prettier-ignore
const ONSETS = [
  'Ka', 'Ki', 'Ku', 'Bu', 'Bwa', 'Ru', 'Rwe', 'Nya', 'Mu', 'Ma', 'I', 'O', 'Kya', 'Mbu', 'Nte',
  'Kye',
];
// prettier-ignore
const MIDDLES = [
  'ba', 'bi', 'ga', 'go', 'hu', 'ka', 'ki', 'ko', 'ku', 'ma', 'mba', 'mi', 'nga', 'ngo',
];
// prettier-ignore
const MORE = [
  'nyi', 'ra', 'ri', 'ro', 'ru', 'sha', 'shi', 'ta', 'to', 'tu', 'we', 'ya', 'za', 'he',
];
// prettier-ignore
const ENDINGS = [
  'a', 'e', 'i', 'o', 'ro', 'ra', 'ga', 'ma', 'nzi', 'nyi', 'ndo', 'ngo', 'ye', 'zi', 'ke', 'ju',
];

/** Person-name-like prefixes for the third block of HouseHoldID (SEED_SPEC §1.1). */
// prettier-ignore
export const NAME_PREFIXES = [
  'ABE', 'AGA', 'AHA', 'AMO', 'ANN', 'ASI', 'ATU', 'BAS', 'BES', 'BIR', 'BYA', 'DEU', 'EDS', 'EVA',
  'FER', 'GOD', 'GRA', 'JOV', 'JUS', 'KAM', 'KEM', 'KIZ', 'KOB', 'KYO', 'MAR', 'MUG', 'MUH', 'NAB',
  'NAM', 'NIN', 'NSH', 'NUW', 'OLI', 'PRO', 'RON', 'SAR', 'TUG', 'TUM', 'TUR', 'TWI',
] as const;

function inventName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const parts = [rng.pick(ONSETS), rng.pick(MIDDLES)];
    if (rng.bernoulli(0.5)) parts.push(rng.pick(MORE));
    parts.push(rng.pick(ENDINGS));
    const name = parts.join('');
    if (name.length >= 5 && !used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

const GAZETTEER_SEED = 0x7a2e77;

function buildPlaces(): Readonly<Record<District, readonly Place[]>> {
  const rng = new Rng(GAZETTEER_SEED);
  const used = new Set<string>();
  const out = {} as Record<District, Place[]>;
  for (const district of DISTRICTS) {
    const prof = DISTRICT_PROFILES[district];
    const clusters = Array.from({ length: prof.clusters }, () => inventName(rng, used));
    out[district] = Array.from({ length: prof.villages }, (_, i) => ({
      district,
      cluster: clusters[i % clusters.length]!,
      village: inventName(rng, used),
    }));
  }
  return out;
}

/** Villages per district (153 in total). */
export const PLACES: Readonly<Record<District, readonly Place[]>> = buildPlaces();

/** A `{DIST3}-{VIL3}-{AAA}-K{4 digits}` household id (SEED_SPEC §1.1). */
export function householdId(rng: Rng, place: Place): string {
  const dist = place.district.slice(0, 3).toUpperCase();
  const vil = place.village.slice(0, 3).toUpperCase();
  const digits = String(rng.int(10_000)).padStart(4, '0');
  return `${dist}-${vil}-${rng.pick(NAME_PREFIXES)}-K${digits}`;
}
