/**
 * The trainer role. A check loop evaluates the retraining signals (manual > drift > performance >
 * new labels > cron); automatic ones wait out a cooldown after the last registered model. A cycle
 * runs only under the KV lease, so one trainer acts at a time however many run. The trainer also
 * registers the MODEL_PATH baseline on an empty registry and serves operator control requests.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Config } from '../config.js';
import { PipelineError } from '../errors.js';
import type { ModelArtifact } from '../score/model-dir.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Logger } from '../telemetry/log.js';
import { publishNotice } from '../registry/events.js';
import type { ModelRegistry } from '../registry/registry.js';
import { lastRegisteredAtMs } from '../registry/registry-log.js';
import type { Trigger } from '../registry/types.js';
import type { JetStreamClient } from '@nats-io/jetstream';
import { serveControl, type ControlRequest } from './control.js';
import { runTrainingCycle, type Decision } from './cycle.js';
import type { KvLease } from './lease.js';
import { runTrainingThread } from './training-thread.js';
import { CronClock, DriftAlerts, newLabelsSignal, performanceSignal } from './triggers.js';

/** What a trainer works with. */
export interface TrainerDeps {
  readonly cfg: Readonly<Config['trainer']>;
  readonly ch: ClickHouse;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly registry: ModelRegistry;
  readonly lease: KvLease;
  readonly log: Logger;
  /** The MODEL_PATH model, registered as champion when the registry is empty. */
  readonly baseline?: () => ModelArtifact;
}

export class Trainer implements AsyncDisposable {
  readonly #d: TrainerDeps;
  readonly #drift: DriftAlerts;
  readonly #cron: CronClock;
  #control: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<unknown> | undefined;
  #closed = false;
  /** Aborted at dispose: a training thread still running is terminated. */
  readonly #shutdown = new AbortController();

  constructor(deps: TrainerDeps) {
    this.#d = deps;
    this.#drift = new DriftAlerts(deps.nc);
    this.#cron = new CronClock(deps.cfg.cron);
  }

  /** Registers the baseline if needed, serves control requests and starts the check loop. */
  async start(): Promise<void> {
    await this.#exclusive(() => this.#ensureBaseline()).catch((err: unknown) => this.#d.log.warn({ err }, 'baseline registration deferred'));
    this.#control = serveControl(this.#d.nc, (req) => this.control(req), this.#d.log);
    this.#timer = setInterval(() => void this.tick(), this.#d.cfg.checkIntervalMs);
    this.#timer.unref();
    this.#d.log.info({ nextCron: this.#cron.next?.toISOString(), checkIntervalMs: this.#d.cfg.checkIntervalMs }, 'trainer started');
  }

  /** Evaluates the signals once and trains when one fires (no-op while a cycle runs). */
  async tick(): Promise<Decision | undefined> {
    if (this.#busy || this.#closed) return undefined;
    try {
      if (!(await this.#d.registry.active())) {
        await this.#exclusive(() => this.#ensureBaseline());
        return undefined;
      }
      if ((await this.#d.registry.reconcilePlan()).length > 0) await this.#exclusive(() => this.#reconcile());
      const signal = await this.#signal();
      if (!signal) return undefined;
      return await this.retrain(signal.trigger, signal.reason);
    } catch (err) {
      this.#d.log.error({ err }, 'trainer check failed');
      return undefined;
    }
  }

  /** Runs a training cycle under the lease; rejects with UNAVAILABLE when another trainer acts. */
  async retrain(trigger: Trigger, reason: string): Promise<Decision> {
    const runJob = (job: Parameters<typeof runTrainingThread>[0]) => runTrainingThread(job, this.#shutdown.signal);
    const decision = await this.#exclusive(() => runTrainingCycle({ ...this.#d, stillLeader: () => this.#d.lease.renew(), runJob }, trigger, reason));
    if (trigger === 'drift') this.#drift.consume();
    this.#d.log.info({ outcome: decision.outcome, version: decision.version, trigger, reason: decision.reason }, 'training decision');
    if (decision.outcome === 'skipped') await publishNotice(this.#d.js, 'training_skipped', { trigger, reason: decision.reason });
    return decision;
  }

  /** Handles one operator request (see control.ts). */
  async control(req: ControlRequest): Promise<unknown> {
    const r = this.#d.registry;
    const why = req.reason ?? 'operator request';
    const version = (): string => {
      if (!req.version) throw new PipelineError('INVALID_ARGUMENT', `"${req.op}" needs a version`, false);
      return req.version;
    };
    switch (req.op) {
      case 'list':
        return { versions: await r.list(), active: await r.active(), shadow: await r.shadowPointer() };
      case 'show':
        return { version: version(), events: await r.history(version()) };
      case 'retrain':
        return this.retrain('manual', why);
      case 'promote':
        return this.#exclusive(() => r.promote(version(), why, 'operator'));
      case 'rollback':
        return this.#exclusive(() => r.rollback(why));
      case 'shadow':
        return this.#exclusive(() => r.shadow(version(), why, 'operator'));
      case 'unshadow':
        return this.#exclusive(() => r.unshadow(why, 'operator'));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#shutdown.abort();
    if (this.#control && !this.#control.isClosed()) this.#control.unsubscribe();
    await this.#drift[Symbol.asyncDispose]();
    await this.#busy?.catch(() => undefined);
  }

  async #signal(): Promise<{ trigger: Trigger; reason: string } | undefined> {
    const { cfg, ch, registry, log } = this.#d;
    const last = await lastRegisteredAtMs(ch, cfg.modelName);
    if (last !== undefined && Date.now() - last < cfg.cooldownMs) return undefined;
    const champion = (await registry.active())?.version;
    const drift = this.#drift.signal(champion);
    if (drift) return { trigger: 'drift', reason: drift };
    const perf = champion ? await performanceSignal(ch, champion, cfg.f1Threshold, log) : undefined;
    if (perf) return { trigger: 'performance', reason: perf };
    const labels = await newLabelsSignal(ch, cfg.modelName, cfg.minNewLabels);
    if (labels) return { trigger: 'new_labels', reason: labels };
    const cron = this.#cron.signal();
    return cron ? { trigger: 'cron', reason: cron } : undefined;
  }

  async #reconcile(): Promise<void> {
    for (const step of await this.#d.registry.reconcile()) {
      this.#d.log.warn({ version: step.version, event: step.event, status: step.status }, 'model registry log reconciled with the KV pointers');
    }
  }

  async #ensureBaseline(): Promise<void> {
    const artifact = this.#d.baseline?.();
    if (artifact && (await this.#d.registry.ensureBaseline(artifact))) {
      this.#d.log.info({ version: artifact.card.version }, 'baseline registered as champion');
    }
  }

  /**
   * Runs `fn` holding the lease, one step at a time in this process. The lease is renewed every
   * third of its TTL while `fn` runs, so a long training cycle does not lose it to another trainer;
   * a renewal that fails means another trainer took over, and the cycle finds out at its
   * `stillLeader` check before promoting.
   */
  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new PipelineError('UNAVAILABLE', 'this trainer is busy with another lifecycle step; retry', true);
    const { lease, cfg, log } = this.#d;
    const run = (async () => {
      if (!(await lease.acquire())) throw new PipelineError('UNAVAILABLE', 'another trainer holds the lease; retry later', true);
      const heartbeat = setInterval(() => {
        void lease.renew().then((held) => {
          if (held) return;
          clearInterval(heartbeat);
          log.warn({ ttlMs: cfg.leaseTtlMs }, 'trainer lease lost while a lifecycle step ran');
        });
      }, Math.max(1000, Math.floor(cfg.leaseTtlMs / 3)));
      heartbeat.unref();
      try {
        return await fn();
      } finally {
        clearInterval(heartbeat);
        await lease.release();
      }
    })();
    this.#busy = run;
    try {
      return await run;
    } finally {
      this.#busy = undefined;
    }
  }
}
