/**
 * Alerts: conditions evaluated by the monitor become alerts that fire once per (kind, labels) and
 * resolve automatically when the condition clears. Every state change is published on
 * `alerts.v1.<severity>.<kind>`, stored in `alerts` and sent to the optional webhook.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { ClickHouse } from '../sink/clickhouse.js';

/** Alert kinds (subject suffix). */
export const AlertKind = {
  data_quality: 'data_quality',
  drift: 'drift',
  performance: 'performance',
  dlq_rate: 'dlq_rate',
  consumer_lag: 'consumer_lag',
  consumer_stalled: 'consumer_stalled',
  ingestion_errors: 'ingestion_errors',
} as const;
/** An alert kind. */
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];

/** Alert severities, lowest first. */
export const Severity = { info: 'info', warning: 'warning', error: 'error', critical: 'critical' } as const;
/** An alert severity. */
export type Severity = (typeof Severity)[keyof typeof Severity];

/** The alert as published on `alerts.v1.<severity>.<kind>` (wire contract: keep the names). */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: Severity;
  status: 'firing' | 'resolved';
  summary: string;
  labels: Record<string, string>;
  value: number;
  threshold: number;
  fired_at: string;
  resolved_at?: string;
  model_version?: string;
}

/** One evaluated rule: whether its condition holds now, with the figures behind it. */
export interface Condition {
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly firing: boolean;
  readonly value: number;
  readonly threshold: number;
  readonly summary: string;
  readonly modelVersion?: string;
}

/** Where alert state changes go. */
export type AlertSink = (alert: Alert) => Promise<unknown>;

/** Identity of an alert: its kind and sorted labels. */
export function alertKey(kind: string, labels: Readonly<Record<string, string>>): string {
  return `${kind}|${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',')}`;
}

/** Deduplicates and resolves alerts; holds the firing ones. */
export class AlertManager {
  readonly #firing = new Map<string, Alert>();
  readonly #sinks: readonly AlertSink[];
  readonly #now: () => Date;

  constructor(sinks: readonly AlertSink[], now: () => Date = () => new Date()) {
    this.#sinks = sinks;
    this.#now = now;
  }

  /** Alerts currently firing. */
  get firing(): readonly Alert[] {
    return [...this.#firing.values()];
  }

  /** Takes over alerts that were firing before a restart (so they are not fired twice). */
  restore(alerts: readonly Alert[]): void {
    for (const a of alerts) if (a.status === 'firing') this.#firing.set(alertKey(a.kind, a.labels), a);
  }

  /** Applies conditions; returns the alerts that changed state (fired or resolved). */
  async evaluate(conditions: readonly Condition[]): Promise<Alert[]> {
    const changed: Alert[] = [];
    for (const c of conditions) {
      const key = alertKey(c.kind, c.labels);
      const current = this.#firing.get(key);
      if (c.firing && !current) {
        const alert: Alert = {
          id: randomUUID(),
          kind: c.kind,
          severity: c.severity,
          status: 'firing',
          summary: c.summary,
          labels: { ...c.labels },
          value: c.value,
          threshold: c.threshold,
          fired_at: this.#now().toISOString(),
          ...(c.modelVersion ? { model_version: c.modelVersion } : {}),
        };
        this.#firing.set(key, alert);
        changed.push(alert);
      } else if (!c.firing && current) {
        this.#firing.delete(key);
        changed.push({ ...current, status: 'resolved', value: c.value, resolved_at: this.#now().toISOString() });
      }
    }
    for (const alert of changed) await Promise.allSettled(this.#sinks.map((sink) => sink(alert)));
    return changed;
  }
}

/** Publishes alerts on JetStream `alerts.v1.<severity>.<kind>` (msg id = alert id + status). */
export function jetStreamAlertSink(js: JetStreamClient): AlertSink {
  return (a) => js.publish(`alerts.v1.${a.severity}.${a.kind}`, JSON.stringify(a), { msgID: `${a.id}:${a.status}` });
}

/** Stores each alert state change as a new version of the alert's row in `alerts`. */
export function clickHouseAlertSink(ch: ClickHouse): AlertSink {
  return (a) =>
    ch.client.insert({
      table: `${ch.database}.alerts`,
      values: [{
        id: a.id, kind: a.kind, severity: a.severity, status: a.status, summary: a.summary, labels: a.labels,
        value: Number.isFinite(a.value) ? a.value : 0, threshold: a.threshold,
        fired_at: Date.parse(a.fired_at), resolved_at: a.resolved_at ? Date.parse(a.resolved_at) : null,
        model_version: a.model_version ?? null, updated_at: Date.now(),
      }],
      format: 'JSONEachRow',
    });
}

/** Alerts firing according to the `alerts` table (to restore after a restart). */
export async function loadFiringAlerts(ch: ClickHouse): Promise<Alert[]> {
  const rs = await ch.client.query({
    query: `SELECT id, kind, severity, status, summary, labels, value, threshold,
              toUnixTimestamp64Milli(fired_at) AS fired_ms, model_version
            FROM ${ch.database}.alerts FINAL WHERE status = {s:String}`,
    query_params: { s: 'firing' },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Omit<Alert, 'fired_at' | 'model_version'> & { fired_ms: string; model_version: string | null }>();
  return rows.map(({ model_version, fired_ms, ...a }) => ({
    ...a,
    fired_at: new Date(Number(fired_ms)).toISOString(),
    ...(model_version ? { model_version } : {}),
  }));
}
