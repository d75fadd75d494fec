/**
 * The model registry: artifacts in the object store, the event log in ClickHouse
 * (`model_registry`), events on `models.v1.<event>`, live pointers in KV `models`. Every status
 * change goes through here, so each one is logged with its reason and announced.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { PipelineError } from '../errors.js';
import type { ModelArtifact } from '../score/model-dir.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { ObjectStore } from '../store/index.js';
import { getArtifact, putArtifact } from './artifacts.js';
import { publishEvent } from './events.js';
import { clearPointer, readPointer, writePointer, PointerKey } from './pointers.js';
import { appendEvent, currentStates, modelHistory, versionHistory, type EventRow } from './registry-log.js';
import type { ModelPointer, ModelStatus, RegistryEvent, RegistryEventName, Trigger, VersionState } from './types.js';

/** What a registry needs. */
export interface RegistryDeps {
  readonly ch: ClickHouse;
  readonly js: JetStreamClient;
  readonly kv: KV;
  readonly store: ObjectStore;
  /** Model name this registry manages. */
  readonly name: string;
  /** Who acts (a trainer id, `cli`). */
  readonly actor: string;
}

/** One lifecycle step to record. */
export interface Step {
  readonly version: string;
  readonly status: ModelStatus;
  readonly event: RegistryEventName;
  readonly reason: string;
  readonly trigger: Trigger;
  readonly metrics?: Record<string, unknown>;
  readonly previousVersion?: string;
  readonly createdAtMs?: number;
}

export class ModelRegistry {
  readonly #d: RegistryDeps;

  constructor(deps: RegistryDeps) {
    this.#d = deps;
  }

  get name(): string {
    return this.#d.name;
  }

  /** Appends a step to the log and publishes it on `models.v1.<event>`. */
  async record(step: Step): Promise<RegistryEvent> {
    const now = Date.now();
    const e: RegistryEvent = {
      name: this.#d.name,
      version: step.version,
      status: step.status,
      event: step.event,
      reason: step.reason,
      trigger: step.trigger,
      metrics: step.metrics ?? {},
      previousVersion: step.previousVersion ?? '',
      actor: this.#d.actor,
      createdAtMs: step.createdAtMs ?? (await this.#createdAtMs(step.version)) ?? now,
      decidedAtMs: now,
    };
    const seq = await appendEvent(this.#d.ch, e);
    await publishEvent(this.#d.js, e, seq);
    return e;
  }

  /** Stores the artifact and logs it as `registered` with the card's test metrics. */
  async register(artifact: ModelArtifact, trigger: Trigger, reason: string, status: ModelStatus = 'candidate'): Promise<void> {
    await putArtifact(this.#d.store, artifact);
    const { card } = artifact;
    const metrics = { test: card.metrics, rows: card.rows, training_window: card.training_window, model_type: card.model_type, hyperparameters: card.hyperparameters };
    await this.record({ version: card.version, status, event: 'registered', reason, trigger, metrics, createdAtMs: Date.parse(card.created_at) });
  }

  /** The champion pointer (KV `active`). */
  active(): Promise<ModelPointer | undefined> {
    return readPointer(this.#d.kv, PointerKey.active);
  }

  /** The shadow pointer (KV `shadow`). */
  shadowPointer(): Promise<ModelPointer | undefined> {
    return readPointer(this.#d.kv, PointerKey.shadow);
  }

  /** Loads a version's artifact from the object store. */
  loadArtifact(version: string): Promise<ModelArtifact> {
    return getArtifact(this.#d.store, this.#d.name, version);
  }

  /** Every version with its current status, newest first. */
  list(): Promise<VersionState[]> {
    return currentStates(this.#d.ch, this.#d.name);
  }

  /** Every event of one version. */
  history(version: string): Promise<EventRow[]> {
    return versionHistory(this.#d.ch, this.#d.name, version);
  }

  /** Every event of the model. */
  allEvents(): Promise<EventRow[]> {
    return modelHistory(this.#d.ch, this.#d.name);
  }

  /**
   * Makes `version` the champion: KV `active` first (workers swap on it), then the log: the old
   * champion `demoted` (retired), the new one `promoted`. A shadow being promoted leaves shadow.
   */
  async promote(version: string, reason: string, trigger: Trigger, metrics: Record<string, unknown> = {}, previousOverride?: string): Promise<void> {
    await this.#mustExist(version);
    const current = await this.active();
    if (current?.version === version) throw new PipelineError('INVALID_ARGUMENT', `${this.#d.name}@${version} is already the champion`, false);
    await writePointer(this.#d.kv, PointerKey.active, this.#d.name, version, reason);
    const shadow = await this.shadowPointer();
    if (shadow?.version === version) await clearPointer(this.#d.kv, PointerKey.shadow);
    if (current) await this.record({ version: current.version, status: 'retired', event: 'demoted', reason: `replaced by ${version}: ${reason}`, trigger });
    const previousVersion = previousOverride ?? current?.version ?? '';
    await this.record({ version, status: 'champion', event: 'promoted', reason, trigger, metrics, previousVersion });
  }

  /** Logs a candidate that lost its evaluation (it stays stored, retired). */
  async reject(version: string, reason: string, trigger: Trigger, metrics: Record<string, unknown>): Promise<void> {
    await this.record({ version, status: 'retired', event: 'rejected', reason, trigger, metrics });
  }

  /** Puts `version` in shadow (KV `shadow`); a previous shadow is retired. */
  async shadow(version: string, reason: string, trigger: Trigger, metrics: Record<string, unknown> = {}): Promise<void> {
    await this.#mustExist(version);
    if ((await this.active())?.version === version) throw new PipelineError('INVALID_ARGUMENT', `${this.#d.name}@${version} is the champion`, false);
    const previous = await this.shadowPointer();
    await writePointer(this.#d.kv, PointerKey.shadow, this.#d.name, version, reason);
    if (previous && previous.version !== version) {
      await this.record({ version: previous.version, status: 'retired', event: 'unshadowed', reason: `replaced by ${version}`, trigger });
    }
    await this.record({ version, status: 'shadow', event: 'shadowed', reason, trigger, metrics });
  }

  /** Stops shadow scoring. */
  async unshadow(reason: string, trigger: Trigger): Promise<void> {
    const previous = await this.shadowPointer();
    if (!previous) throw new PipelineError('NOT_FOUND', 'no shadow model is set', false);
    await clearPointer(this.#d.kv, PointerKey.shadow);
    await this.record({ version: previous.version, status: 'retired', event: 'unshadowed', reason, trigger });
  }

  /**
   * Restores the champion that the current one replaced. The restored version's new `promoted`
   * row carries ITS predecessor, so a second rollback goes one step further back.
   */
  async rollback(reason: string, trigger: Trigger = 'operator'): Promise<{ from: string; to: string }> {
    const current = await this.active();
    if (!current) throw new PipelineError('NOT_FOUND', 'no active model to roll back', false);
    const target = await this.#predecessor(current.version);
    if (!target) throw new PipelineError('NOT_FOUND', `${this.#d.name}@${current.version} replaced no earlier champion: nothing to roll back to`, false);
    const further = (await this.#predecessor(target)) ?? '';
    await writePointer(this.#d.kv, PointerKey.active, this.#d.name, target, `rollback: ${reason}`);
    await this.record({ version: current.version, status: 'retired', event: 'rolled_back', reason: `rolled back to ${target}: ${reason}`, trigger });
    await this.record({ version: target, status: 'champion', event: 'promoted', reason: `rollback from ${current.version}: ${reason}`, trigger, previousVersion: further });
    return { from: current.version, to: target };
  }

  /**
   * First start: with no active pointer, registers `artifact` (the MODEL_PATH baseline) as the
   * champion, so there is always something to roll back to. Returns whether it did.
   */
  async ensureBaseline(artifact: ModelArtifact): Promise<boolean> {
    if (await this.active()) return false;
    const { version } = artifact.card;
    const known = (await this.list()).some((v) => v.version === version);
    if (!known) await this.register(artifact, 'baseline', 'baseline from MODEL_PATH', 'candidate');
    await writePointer(this.#d.kv, PointerKey.active, this.#d.name, version, 'baseline');
    await this.record({ version, status: 'champion', event: 'promoted', reason: 'baseline from MODEL_PATH (empty registry)', trigger: 'baseline' });
    return true;
  }

  /**
   * The steps that would bring the log in line with the KV pointers. Every status change writes
   * the pointer first (workers follow it) and the log second, so a ClickHouse failure in between
   * leaves the log behind; the pointers are the truth. A pointer to a version the log does not
   * know cannot be reconciled and is left alone.
   */
  async reconcilePlan(): Promise<Step[]> {
    const [states, active, shadow] = await Promise.all([this.list(), this.active(), this.shadowPointer()]);
    const known = new Map(states.map((s) => [s.version, s.status]));
    const pointed = (p: ModelPointer | undefined): string | undefined => (p && p.name === this.#d.name && known.has(p.version) ? p.version : undefined);
    const champion = pointed(active);
    const shadowed = pointed(shadow);
    const why = 'the log had missed the change (ClickHouse failed after the KV pointer was written)';
    const retire: Step[] = [];
    const enter: Step[] = [];
    for (const s of states) {
      const expected = s.version === champion ? 'champion' : s.version === shadowed ? 'shadow' : undefined;
      if (expected === undefined && s.status === 'champion') {
        retire.push({ version: s.version, status: 'retired', event: 'demoted', reason: `reconciled: KV models/active points to ${champion ?? 'nothing'}; ${why}`, trigger: 'reconcile' });
      } else if (expected === undefined && s.status === 'shadow') {
        retire.push({ version: s.version, status: 'retired', event: 'unshadowed', reason: `reconciled: KV models/shadow points to ${shadowed ?? 'nothing'}; ${why}`, trigger: 'reconcile' });
      } else if (expected === 'champion' && s.status !== 'champion') {
        const previous = states.find((o) => o.status === 'champion' && o.version !== s.version)?.version ?? '';
        enter.push({ version: s.version, status: 'champion', event: 'promoted', reason: `reconciled: KV models/active points to it (${active?.reason ?? ''}); ${why}`, trigger: 'reconcile', previousVersion: previous });
      } else if (expected === 'shadow' && s.status !== 'shadow') {
        enter.push({ version: s.version, status: 'shadow', event: 'shadowed', reason: `reconciled: KV models/shadow points to it (${shadow?.reason ?? ''}); ${why}`, trigger: 'reconcile' });
      }
    }
    return [...retire, ...enter];
  }

  /** Records the {@link reconcilePlan} steps; returns them (empty when the log already agrees). */
  async reconcile(): Promise<Step[]> {
    const steps = await this.reconcilePlan();
    for (const step of steps) await this.record(step);
    return steps;
  }

  async #predecessor(version: string): Promise<string | undefined> {
    const promotions = (await this.history(version)).filter((r) => r.event === 'promoted');
    const last = promotions[promotions.length - 1];
    return last && last.previous_version !== '' ? last.previous_version : undefined;
  }

  async #mustExist(version: string): Promise<void> {
    if (!(await this.list()).some((v) => v.version === version)) {
      throw new PipelineError('NOT_FOUND', `${this.#d.name}@${version} is not in the registry`, false);
    }
  }

  async #createdAtMs(version: string): Promise<number | undefined> {
    const [first] = await this.history(version);
    return first ? Date.parse(`${first.created_at.replace(' ', 'T')}Z`) : undefined;
  }
}
