/** The registry's vocabulary: statuses, lifecycle events, the rows of `model_registry`. */

/** Status of a model version after an event. */
export const ModelStatus = { candidate: 'candidate', shadow: 'shadow', champion: 'champion', retired: 'retired' } as const;
export type ModelStatus = (typeof ModelStatus)[keyof typeof ModelStatus];

/** Lifecycle events; each is a `model_registry` row and a message on `models.v1.<event>`. */
export const RegistryEventName = {
  registered: 'registered',
  evaluated: 'evaluated',
  promoted: 'promoted',
  demoted: 'demoted',
  rejected: 'rejected',
  shadowed: 'shadowed',
  unshadowed: 'unshadowed',
  rolledBack: 'rolled_back',
} as const;
export type RegistryEventName = (typeof RegistryEventName)[keyof typeof RegistryEventName];

/** What started a lifecycle step (`reconcile`: the log caught up with the KV pointers). */
export type Trigger = 'baseline' | 'new_labels' | 'drift' | 'performance' | 'cron' | 'manual' | 'operator' | 'reconcile';

/** One `model_registry` row (times as epoch ms). */
export interface RegistryEvent {
  readonly name: string;
  readonly version: string;
  readonly status: ModelStatus;
  readonly event: RegistryEventName;
  readonly reason: string;
  readonly trigger: Trigger;
  /** Free-form facts (metrics, evaluation); stored as JSON text. */
  readonly metrics: Record<string, unknown>;
  /** For `promoted`: the champion it replaced ('' if none). */
  readonly previousVersion: string;
  /** Who decided: a trainer id or `cli`. */
  readonly actor: string;
  readonly createdAtMs: number;
  readonly decidedAtMs: number;
}

/** The current state of one version (its latest event). */
export interface VersionState {
  readonly name: string;
  readonly version: string;
  readonly status: ModelStatus;
  readonly lastEvent: RegistryEventName;
  readonly lastReason: string;
  readonly createdAt: string;
  readonly decidedAt: string;
}

/** Value of the KV keys `active` and `shadow`. */
export interface ModelPointer {
  readonly name: string;
  readonly version: string;
  /** ISO time of the change. */
  readonly updatedAt: string;
  readonly reason: string;
}
