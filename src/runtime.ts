/**
 * Builds the shared infrastructure every role needs from the config: NATS (embedded child or
 * NATS_URL) with streams applied, ClickHouse (chDB or CLICKHOUSE_URL) migrated, the PII key ring,
 * metrics and logs. Roles (gateway, worker) are started on top of it.
 */
import { join, resolve } from 'node:path';
import type { Config } from './config.js';
import { connectBus, durableConsumer, type Bus } from './bus/nats.js';
import { startEmbeddedNats } from './bus/nats-server.js';
import { applyReplicas, applyStreams, loadStreamSpecs, type ApplyResult } from './bus/streams.js';
import { DisposeStack } from './lifecycle.js';
import type { GrpcEndpoint } from './ingest/grpc-server.js';
import { startIngestGateway } from './ingest/gateway.js';
import { SurveyWorker } from './pipeline/worker.js';
import { piiProtectorFor, type PiiProtector } from './protect/pii.js';
import { openClickHouse, type ClickHouse } from './sink/clickhouse.js';
import { migrate } from './sink/migrations.js';
import { createRejectionSink, createSurveySink } from './sink/sinks.js';
import { JetStreamPublisher, type PublishOptions } from './bus/publisher.js';
import { createPredictionSink } from './sink/prediction-sink.js';
import { readModelDir } from './score/model-dir.js';
import { Scorer } from './score/scorer.js';
import { ModelHolder, createScoreStep, featurizeStage } from './score/score-step.js';
import { createLogger, type Logger } from './telemetry/log.js';
import { activeArtifact } from './registry/context.js';
import { watchActivePointer } from './registry/model-watch.js';
import { MODELS_BUCKET, openModelsKv } from './registry/pointers.js';
import { openTokenBucket } from './ingest/tokens.js';
import type { ModelCard } from './model/index.js';
import { startArchiverRole } from './archive/start.js';
import type { Archiver } from './archive/archiver.js';
import { startModelWatch, startTrainerRole } from './trainer/start.js';
import type { Trainer } from './trainer/trainer.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { validateSurvey, type ValidationResult } from './validate/index.js';
import type { SurveyValues } from './domain/fields.js';
import { createMonitorMetrics, DEFAULT_DRIFT_THRESHOLDS, Monitor } from './monitor/index.js';

export interface Infrastructure extends AsyncDisposable {
  readonly cfg: Readonly<Config>;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly bus: Bus;
  readonly natsUrl: string;
  readonly ch: ClickHouse;
  readonly pii: PiiProtector;
  /** Owners to dispose on shutdown, in reverse order. Roles add themselves here. */
  readonly stack: DisposeStack;
}

/**
 * The JetStream topology: the streams and consumers in `streams/`, and the KV buckets `models` and
 * the device-token bucket, all with `NATS_STREAM_REPLICAS` replicas when it is set (unset: new
 * ones get 1, existing ones keep theirs).
 */
export async function applyBusTopology(bus: Bus, cfg: Readonly<Config>): Promise<ApplyResult[]> {
  const replicas = cfg.nats.streamReplicas;
  const changes = await applyStreams(bus.jsm, loadStreamSpecs(resolve(cfg.nats.streamsDir)), replicas);
  await openModelsKv(bus.js);
  await openTokenBucket(bus.js, cfg.grpc.tokenBucket);
  for (const bucket of [MODELS_BUCKET, cfg.grpc.tokenBucket]) changes.push(await applyReplicas(bus.jsm, `KV_${bucket}`, replicas));
  return changes;
}

export interface InfraOptions {
  /** Name the NATS connection carries (shows in server monitoring). */
  role: string;
  log?: Logger;
}

export async function openInfrastructure(cfg: Readonly<Config>, opts: InfraOptions): Promise<Infrastructure> {
  const log = opts.log ?? createLogger(cfg.log.level, { role: opts.role });
  const metrics = createMetrics();
  const stack = new DisposeStack();
  try {
    let natsUrl = cfg.nats.url;
    if (!natsUrl) {
      const server = stack.use(
        'nats-server',
        await startEmbeddedNats({ bin: cfg.nats.serverBin, storeDir: cfg.nats.storeDir ?? join(cfg.dataDir, 'nats'), port: cfg.nats.serverPort }),
      );
      natsUrl = server.url;
      log.info({ url: natsUrl, pid: server.pid }, 'embedded nats-server started');
    }
    const bus = stack.use('nats', await connectBus(cfg.nats, natsUrl, `surveystream-${opts.role}`));
    if (cfg.nats.applyStreams) {
      const changes = await applyBusTopology(bus, cfg);
      log.info({ changes: changes.filter((c) => c.action !== 'unchanged') }, 'streams applied');
    }
    // chDB allows one process per data directory: in embedded mode all roles share one process.
    const ch = stack.use('clickhouse', await openClickHouse(cfg.clickhouse, cfg.dataDir));
    if (cfg.clickhouse.migrate) {
      const report = await migrate(ch, resolve(cfg.clickhouse.migrationsDir));
      log.info({ applied: report.applied, kind: ch.kind }, 'clickhouse migrated');
    }
    const pii = piiProtectorFor(cfg);
    return {
      cfg,
      log,
      metrics,
      bus,
      natsUrl,
      ch,
      pii,
      stack,
      [Symbol.asyncDispose]: () => stack[Symbol.asyncDispose](),
    };
  } catch (err) {
    await stack[Symbol.asyncDispose]().catch(() => undefined);
    throw err;
  }
}

/** Starts the gRPC gateway on the infrastructure; it is shut down first on dispose. */
export async function startGateway(infra: Infrastructure): Promise<GrpcEndpoint> {
  const endpoint = await startIngestGateway(infra);
  const { grpc } = infra.cfg;
  infra.log.info(
    { port: endpoint.port, tls: Boolean(grpc.tlsCertFile), mtls: grpc.requireClientCert, auth: grpc.authMode },
    'gateway listening',
  );
  return endpoint;
}

export type Validator = (values: SurveyValues) => ValidationResult;

/** The champion model from `MODEL_PATH` (`none` = do not score). */
export async function loadModels(infra: Infrastructure): Promise<ModelHolder> {
  const { cfg, log } = infra;
  if (cfg.model.path === 'none') {
    log.warn('MODEL_PATH=none: surveys are stored but not scored');
    return new ModelHolder();
  }
  // The registry's champion (KV `models` key `active`) when one is set, else MODEL_PATH.
  const registered = await activeArtifact(infra).catch((err: unknown) => {
    log.warn({ err }, 'active model not loadable from the registry; using MODEL_PATH');
    return undefined;
  });
  const scorer = await Scorer.create(registered ?? readModelDir(resolve(cfg.model.path)), { intraOpNumThreads: cfg.model.intraOpThreads });
  log.info({ model: scorer.card.name, version: scorer.version, spec: scorer.specVersion, from: registered ? 'registry' : cfg.model.path }, 'model loaded');
  const gauge = infra.metrics.workerModel;
  return new ModelHolder(scorer, undefined, {
    onChange: (role, next, previous) => {
      if (previous) gauge.remove({ model: previous.card.name, version: previous.version, role });
      if (next) gauge.set({ model: next.card.name, version: next.version, role }, 1);
    },
  });
}

/** Starts a worker on the durable consumer `score`; it drains before the infrastructure closes. */
export async function startWorker(infra: Infrastructure, validator: Validator = (values) => validateSurvey(values)): Promise<SurveyWorker> {
  const { cfg, log, metrics, ch, pii } = infra;
  const consumer = await durableConsumer(infra.bus.js, 'SURVEYS', 'score');
  // Predictions and dead letters go out through one windowed publisher (PubAcks matched on one
  // inbox) instead of an awaited request per message; it is disposed after the worker drained.
  const publisher = infra.stack.use('worker-publisher', new JetStreamPublisher(infra.bus.nc, { timeoutMs: cfg.grpc.publishTimeoutMs, maxPending: 2 * cfg.worker.maxInFlight, metrics, stream: 'PREDICTIONS' }));
  const publish = (o: PublishOptions): Promise<unknown> => publisher.publishAsync(o);
  const rejections = createRejectionSink(publish, ch, pii, metrics);
  const models = infra.stack.use('models', await loadModels(infra));
  if (cfg.model.path !== 'none') infra.stack.use('model-watch', await watchActiveModel(infra, models));
  const worker = new SurveyWorker(cfg.worker, {
    consumer,
    // Slabs as large as a full micro-batch: under load batches are full and land on one slab.
    featurize: featurizeStage(models, cfg.worker.maxBatchRows),
    score: createScoreStep(models, metrics),
    sinks: [createSurveySink(ch, pii, metrics), createPredictionSink(publish, ch, pii, cfg.predictions, metrics), rejections],
    deadLetterSink: rejections,
    validator,
    metrics,
    log: log.child({ stage: 'worker' }),
  });
  worker.start().catch(() => undefined);
  infra.stack.use('worker', worker);
  return worker;
}

/** Starts the archiver (durable consumer `archive` → object store `raw/…`); it flushes and acks before the infrastructure closes. */
export function startArchiver(infra: Infrastructure): Promise<Archiver> {
  return startArchiverRole(infra);
}

/** Starts the trainer (triggers, champion/challenger evaluation, promotion under a KV lease, control requests). */
export function startTrainer(infra: Infrastructure): Promise<Trainer> {
  return startTrainerRole(infra);
}

/** Hot swap: swaps the holder's champion/shadow when KV `models` keys `active`/`shadow` change. Dispose to stop. */
export function watchActiveModel(infra: Infrastructure, holder: ModelHolder): Promise<AsyncDisposable> {
  return startModelWatch(infra, holder);
}

/**
 * Starts the monitor (issue #6) on the infrastructure: drift, performance, alerts and health from
 * ClickHouse aggregates and the score consumer's info. It stops before the infrastructure closes.
 */
/** A running monitor that follows the champion: health answers from the current one. */
export interface MonitorHandle extends AsyncDisposable {
  health(): ReturnType<Monitor['health']>;
}

async function createMonitor(infra: Infrastructure, card: ModelCard | undefined, monitorMetrics: ReturnType<typeof createMonitorMetrics>): Promise<Monitor> {
  const { cfg, log, ch, bus } = infra;
  const m = cfg.monitor;
  const monitor = new Monitor(
    { ch, bus, card, log: log.child({ stage: 'monitor' }), metrics: monitorMetrics },
    {
      window: m.windowKind === 'size' ? { kind: 'size', rows: m.windowRows } : { kind: 'time', seconds: m.windowSeconds },
      intervalMs: m.intervalMs,
      settleMs: m.settleMs,
      maxWindowsPerTick: 50,
      drift: DEFAULT_DRIFT_THRESHOLDS,
      rules: {
        minQuality: m.minQuality,
        maxDlqRate: m.maxDlqRate,
        minVolume: 50,
        lookbackMs: m.lookbackMs,
        maxPending: m.maxPending,
        stallMs: m.stallMs,
        maxF1Drop: m.maxF1Drop,
        minLabelled: 100,
      },
      consumer: { stream: 'SURVEYS', name: 'score' },
      ...(m.webhookUrl ? { webhook: { url: m.webhookUrl, maxAttempts: m.webhookMaxAttempts, backoffMs: m.webhookBackoffMs } } : {}),
    },
  );
  await monitor.start();
  log.info({ model: card?.version ?? null, window: m.windowKind, rows: m.windowRows, seconds: m.windowSeconds }, 'monitor started');
  return monitor;
}

/**
 * Starts the monitor on the champion's card: the registry's active model when one is set, else
 * MODEL_PATH (MONITOR_MODEL_PATH pins a card and turns following off). When the trainer promotes
 * or rolls back, the monitor is restarted on the new champion's card (its windows and cursor are
 * per model version, so reference distributions always match the model that scored the window).
 */
export async function startMonitor(infra: Infrastructure): Promise<MonitorHandle> {
  const { cfg, log } = infra;
  const pinned = cfg.monitor.modelPath;
  const fromPath = (): ModelCard | undefined => {
    const path = pinned ?? cfg.model.path;
    return path === 'none' ? undefined : readModelDir(resolve(path)).card;
  };
  const registered = pinned ? undefined : await activeArtifact(infra).catch(() => undefined);
  const monitorMetrics = createMonitorMetrics(infra.metrics.registry);
  let current = await createMonitor(infra, registered?.card ?? fromPath(), monitorMetrics);
  let chain = Promise.resolve();
  let watch: AsyncDisposable | undefined;
  if (!pinned && cfg.model.path !== 'none') {
    watch = await watchActivePointer(await openModelsKv(infra.bus.js), (name, version) => {
      chain = chain.then(async () => {
        if (current.card?.name === name && current.card.version === version) return;
        const artifact = await activeArtifact(infra);
        if (!artifact) return;
        const previous = current;
        current = await createMonitor(infra, artifact.card, monitorMetrics);
        await previous[Symbol.asyncDispose]();
        log.info({ version }, 'monitor follows the new champion');
      }).catch((err: unknown) => log.error({ err }, 'monitor could not switch to the new champion'));
    });
  }
  const handle: MonitorHandle = {
    health: () => current.health(),
    async [Symbol.asyncDispose]() {
      await watch?.[Symbol.asyncDispose]();
      await chain;
      await current[Symbol.asyncDispose]();
    },
  };
  infra.stack.use('monitor', handle);
  return handle;
}
