/**
 * The monitor role: every `intervalMs` it samples the score consumer, evaluates every window that
 * closed since the last tick (drift, performance), evaluates the store-based rules, updates alerts
 * and metrics and recomputes the health score. It also answers health requests on
 * `monitor.v1.health` so `surveystream health` can ask a running process.
 */
import type { Subscription } from '@nats-io/transport-node';
import type { Bus } from '../bus/nats.js';
import type { ModelCard } from '../model/index.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Logger } from '../telemetry/log.js';
import { AlertManager, clickHouseAlertSink, jetStreamAlertSink, loadFiringAlerts, type AlertSink, type Condition } from './alerts.js';
import { sampleConsumer, StallDetector } from './consumer.js';
import type { DriftThresholds } from './drift.js';
import { computeHealth, type HealthReport } from './health.js';
import type { MonitorMetrics } from './monitor-metrics.js';
import { consumerConditions, driftConditions, performanceConditions, storeConditions, type RuleThresholds } from './rules.js';
import { evaluateWindow, type WindowResult } from './window-eval.js';
import { advance, loadCursor, nextWindow, type WindowCursor, type WindowSpec } from './windows.js';
import { Webhook, type WebhookOptions } from './webhook.js';

/** NATS subject the monitor answers health requests on. */
export const HEALTH_SUBJECT = 'monitor.v1.health';

/** Monitor settings (the `monitor` config section, resolved). */
export interface MonitorOptions {
  readonly window: WindowSpec;
  readonly intervalMs: number;
  readonly settleMs: number;
  readonly maxWindowsPerTick: number;
  readonly drift: DriftThresholds;
  readonly rules: RuleThresholds;
  readonly consumer: { readonly stream: string; readonly name: string };
  readonly webhook?: WebhookOptions;
}

/** What the monitor runs on. */
export interface MonitorDeps {
  readonly ch: ClickHouse;
  readonly bus: Bus;
  readonly card: ModelCard | undefined;
  readonly log: Logger;
  readonly metrics: MonitorMetrics;
}

/** The monitor loop; dispose stops it after the tick in progress. */
export class Monitor implements AsyncDisposable {
  readonly #deps: MonitorDeps;
  readonly #opts: MonitorOptions;
  readonly #alerts: AlertManager;
  readonly #stall = new StallDetector();
  readonly #webhook: Webhook | undefined;
  #cursor: WindowCursor = { seq: 0, timeMs: 0 };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #stalledMs = 0;
  #health: HealthReport | undefined;
  #sub: Subscription | undefined;

  /** The model card this monitor compares windows with. */
  get card(): ModelCard | undefined {
    return this.#deps.card;
  }

  constructor(deps: MonitorDeps, opts: MonitorOptions) {
    this.#deps = deps;
    this.#opts = opts;
    this.#webhook = opts.webhook ? new Webhook(opts.webhook, deps.log) : undefined;
    const sinks: AlertSink[] = [jetStreamAlertSink(deps.bus.js), clickHouseAlertSink(deps.ch)];
    if (this.#webhook) sinks.push((a) => this.#webhook!.send(a));
    this.#alerts = new AlertManager(sinks);
  }

  /** The alert manager (firing alerts). */
  get alerts(): AlertManager {
    return this.#alerts;
  }

  /** Restores the cursor and firing alerts, then starts the loop and the health responder. */
  async start(): Promise<void> {
    const { ch, card, bus, metrics } = this.#deps;
    this.#cursor = await loadCursor(ch, card?.version ?? 'none', this.#opts.window.kind);
    this.#alerts.restore(await loadFiringAlerts(ch));
    if (card) metrics.modelInfo.set({ model: card.name, version: card.version, role: 'champion' }, 1);
    this.#sub = bus.nc.subscribe(HEALTH_SUBJECT, {
      callback: (_err, msg) => {
        this.health().then((h) => msg.respond(JSON.stringify(h)), () => msg.respond(JSON.stringify({ error: 'health unavailable' })));
      },
    });
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((err: unknown) => this.#deps.log.warn({ err }, 'monitor tick failed'))
        .finally(() => this.#schedule(this.#opts.intervalMs));
    }, delayMs);
  }

  /** One evaluation round (exposed for tests and the CLI). */
  async tick(nowMs = Date.now()): Promise<void> {
    const conditions: Condition[] = [];
    conditions.push(...(await this.#consumer(nowMs)));
    for (let i = 0; i < this.#opts.maxWindowsPerTick && !this.#stopped; i++) {
      const w = await nextWindow(this.#deps.ch, this.#opts.window, this.#cursor, nowMs, this.#opts.settleMs);
      if (!w) break;
      const result = await evaluateWindow(this.#deps.ch, this.#deps.card, w, this.#opts.drift);
      this.#cursor = advance(w);
      this.#record(result);
      // Per window, so that a shift is flagged (and cleared) at the window where it happens.
      await this.#alerts.evaluate([...driftConditions(result.drift, this.#deps.card?.version ?? 'none'), ...performanceConditions(result.performance, this.#deps.card?.metrics.f1 ?? null, this.#opts.rules)]);
    }
    conditions.push(...(await storeConditions(this.#deps.ch, this.#opts.rules, nowMs)));
    await this.#alerts.evaluate(conditions);
    this.#health = await this.health(nowMs);
    this.#updateAlertGauge();
  }

  async #consumer(nowMs: number): Promise<Condition[]> {
    const { stream, name } = this.#opts.consumer;
    const { metrics, bus } = this.#deps;
    try {
      const s = await sampleConsumer(bus.jsm, stream, name, nowMs);
      this.#stalledMs = this.#stall.observe(s);
      const labels = { stream, consumer: name };
      metrics.consumerPending.set(labels, s.pending);
      metrics.consumerAckPending.set(labels, s.ackPending);
      metrics.consumerRedelivered.set(labels, s.redelivered);
      metrics.consumerStalledSeconds.set(labels, this.#stalledMs / 1000);
      return consumerConditions(s, this.#stalledMs, this.#opts.rules);
    } catch (err) {
      this.#deps.log.warn({ err, stream, consumer: name }, 'consumer info unavailable');
      return [];
    }
  }

  #record(r: WindowResult): void {
    const { metrics, log } = this.#deps;
    metrics.windows.inc({ kind: r.window.kind });
    for (const s of r.drift) {
      if (s.kind === 'dataset') metrics.datasetDriftShare.set(s.value);
      else metrics.driftStatistic.set({ feature: s.feature, statistic: s.statistic }, s.value);
    }
    for (const p of r.performance) if (p.role === 'champion') metrics.estimatedF1.set({ model_version: p.model_version, kind: p.kind }, p.f1);
    if (r.drifted.length) log.info({ window: r.window, drifted: r.drifted }, 'drift detected');
  }

  #updateAlertGauge(): void {
    const g = this.#deps.metrics.alertsFiring;
    g.reset();
    for (const a of this.#alerts.firing) g.inc({ kind: a.kind, severity: a.severity });
  }

  /** The health report (recomputed from ClickHouse). */
  async health(nowMs = Date.now()): Promise<HealthReport> {
    const h = await computeHealth(this.#deps.ch, {
      lookbackMs: this.#opts.rules.lookbackMs,
      cardF1: this.#deps.card?.metrics.f1 ?? null,
      consumerStalled: this.#stalledMs >= this.#opts.rules.stallMs,
      nowMs,
    });
    this.#deps.metrics.healthScore.set(h.score);
    return { ...h, details: { ...h.details, firing_alerts: this.#alerts.firing.length } };
  }

  /** The last health report a tick computed. */
  get lastHealth(): HealthReport | undefined {
    return this.#health;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#sub?.unsubscribe();
    await this.#running;
    await this.#webhook?.[Symbol.asyncDispose]();
  }
}
