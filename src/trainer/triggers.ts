/**
 * Retraining signals. Each answers "why retrain now?" with a reason, or `undefined`:
 * new labelled surveys since the last model, champion F1 under a threshold (`model_performance`,
 * written by the monitor; a missing table is no signal), a firing drift alert
 * (`alerts.v1.*.drift`), and a cron schedule.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Logger } from '../telemetry/log.js';
import { lastRegisteredAtMs } from '../registry/registry-log.js';
import { countLabelledSince } from './training-data.js';
import { nextCronTime, parseCron, type CronSchedule } from './cron.js';

/** "Enough new labels": labelled surveys received after the newest registered model. */
export async function newLabelsSignal(ch: ClickHouse, name: string, min: number): Promise<string | undefined> {
  const since = (await lastRegisteredAtMs(ch, name)) ?? 0;
  const n = await countLabelledSince(ch, since);
  return n >= min ? `${n} new labelled surveys since the last model (threshold ${min})` : undefined;
}

/** "Performance dropped": the latest realised or estimated F1 of the champion is under `threshold`. */
export async function performanceSignal(ch: ClickHouse, version: string, threshold: number, log?: Logger): Promise<string | undefined> {
  try {
    const rs = await ch.client.query({
      query: `SELECT kind, argMax(f1, window_end) AS last_f1 FROM ${ch.database}.model_performance
               WHERE model_version = {version:String} AND role = 'champion' AND isFinite(f1)
               GROUP BY kind`,
      query_params: { version },
      format: 'JSONEachRow',
    });
    const low = (await rs.json<{ kind: string; last_f1: number }>()).filter((r) => r.last_f1 < threshold);
    return low.length > 0 ? low.map((r) => `${r.kind} F1 ${r.last_f1.toFixed(4)} < ${threshold}`).join(', ') : undefined;
  } catch (err) {
    log?.debug({ err }, 'model_performance not readable; no performance signal');
    return undefined; // the table may not exist yet
  }
}

/** A drift alert as the monitor publishes it. */
export interface DriftAlert {
  readonly id: string;
  readonly kind: string;
  readonly severity?: string;
  readonly status: 'firing' | 'resolved';
  readonly summary?: string;
  readonly model_version?: string;
}

function parseAlert(data: Uint8Array): DriftAlert | undefined {
  try {
    const a = JSON.parse(new TextDecoder().decode(data)) as Partial<DriftAlert>;
    if (typeof a.id !== 'string' || (a.status !== 'firing' && a.status !== 'resolved')) return undefined;
    return a as DriftAlert;
  } catch {
    return undefined;
  }
}

/**
 * Firing drift alerts, from `alerts.v1.*.drift`. An alert id triggers one retraining: once
 * consumed it is ignored until it resolves and fires again. Alerts about another model version
 * than the current champion are stale and ignored.
 */
export class DriftAlerts implements AsyncDisposable {
  readonly #firing = new Map<string, DriftAlert>();
  readonly #consumed = new Set<string>();
  readonly #sub: Subscription;

  constructor(nc: NatsConnection, subject = 'alerts.v1.*.drift') {
    this.#sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (!err) this.#onAlert(msg.data);
      },
    });
  }

  #onAlert(data: Uint8Array): void {
    const alert = parseAlert(data);
    if (!alert) return;
    if (alert.status === 'resolved') {
      this.#firing.delete(alert.id);
      this.#consumed.delete(alert.id);
    } else if (!this.#consumed.has(alert.id)) {
      this.#firing.set(alert.id, alert);
    }
  }

  /** The reason to retrain, if an unconsumed alert about `championVersion` (or no version) fires. */
  signal(championVersion: string | undefined): string | undefined {
    const live = [...this.#firing.values()].filter((a) => !a.model_version || a.model_version === championVersion);
    return live.length > 0 ? `drift alert ${live.map((a) => `${a.id}${a.summary ? ` (${a.summary})` : ''}`).join(', ')}` : undefined;
  }

  /** Marks the firing alerts as handled by a training. */
  consume(): void {
    for (const id of this.#firing.keys()) this.#consumed.add(id);
    this.#firing.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
    await Promise.resolve();
  }
}

/** A cron schedule polled by the trainer's check loop. */
export class CronClock {
  readonly #schedule: CronSchedule | undefined;
  #next: Date | undefined;

  /** `'off'` (or empty) disables the schedule. */
  constructor(expression: string, now = new Date()) {
    const off = expression.trim() === '' || expression.trim().toLowerCase() === 'off';
    this.#schedule = off ? undefined : parseCron(expression);
    this.#next = this.#schedule ? nextCronTime(this.#schedule, now) : undefined;
  }

  /** The next firing time, if any. */
  get next(): Date | undefined {
    return this.#next;
  }

  /** The reason to retrain when a scheduled time has passed since the last call. */
  signal(now = new Date()): string | undefined {
    if (!this.#schedule || !this.#next || now < this.#next) return undefined;
    const due = this.#next;
    this.#next = nextCronTime(this.#schedule, now);
    return `cron "${this.#schedule.source}" due at ${due.toISOString()}`;
  }
}
