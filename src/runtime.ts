/**
 * Builds the shared infrastructure every role needs from the config: NATS (embedded child or
 * NATS_URL) with streams applied, ClickHouse (chDB or CLICKHOUSE_URL) migrated, the PII key ring,
 * metrics and logs. Roles (gateway, worker) are started on top of it.
 */
import { join, resolve } from 'node:path';
import type { Config } from './config.js';
import { connectBus, type Bus } from './bus/nats.js';
import { startEmbeddedNats } from './bus/nats-server.js';
import { applyStreams, loadStreamSpecs } from './bus/streams.js';
import { DisposeStack } from './lifecycle.js';
import { createIngestService } from './ingest/ingest-service.js';
import { startGrpcServer, type GrpcEndpoint } from './ingest/grpc-server.js';
import { SurveyPublisher } from './ingest/publisher.js';
import { SurveyWorker } from './pipeline/worker.js';
import { PiiProtector, loadKeyRing } from './protect/pii.js';
import { openClickHouse, type ClickHouse } from './sink/clickhouse.js';
import { migrate } from './sink/migrations.js';
import { createRejectionSink, createSurveySink } from './sink/sinks.js';
import { createPredictionSink } from './sink/prediction-sink.js';
import { readModelDir } from './score/model-dir.js';
import { Scorer } from './score/scorer.js';
import { ModelHolder, createScoreStep, featurizeStage } from './score/score-step.js';
import { createLogger, type Logger } from './telemetry/log.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';
import { validateSurvey, type ValidationResult } from './validate/index.js';
import type { SurveyValues } from './domain/fields.js';

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
      const changes = await applyStreams(bus.jsm, loadStreamSpecs(resolve(cfg.nats.streamsDir)), cfg.nats.streamReplicas);
      log.info({ changes: changes.filter((c) => c.action !== 'unchanged') }, 'streams applied');
    }
    // chDB allows one process per data directory: in embedded mode all roles share one process.
    const ch = stack.use('clickhouse', await openClickHouse(cfg.clickhouse, cfg.dataDir));
    if (cfg.clickhouse.migrate) {
      const report = await migrate(ch, resolve(cfg.clickhouse.migrationsDir));
      log.info({ applied: report.applied, kind: ch.kind }, 'clickhouse migrated');
    }
    const embedded = !cfg.nats.url || !cfg.clickhouse.url;
    const pii = new PiiProtector(
      loadKeyRing(cfg.pii.keys, cfg.pii.activeKeyId, embedded ? join(cfg.dataDir, 'pii-keys') : undefined),
    );
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
  const { cfg, log, metrics } = infra;
  const publisher = new SurveyPublisher(infra.bus.js, cfg.grpc.publishTimeoutMs, metrics);
  const endpoint = await startGrpcServer(
    { host: cfg.grpc.host, port: cfg.grpc.port, maxMessageBytes: cfg.grpc.maxMessageBytes, shutdownGraceMs: cfg.grpc.shutdownGraceMs },
    createIngestService(publisher, log.child({ stage: 'ingest' }), metrics),
  );
  infra.stack.use('grpc', endpoint);
  log.info({ port: endpoint.port }, 'gateway listening');
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
  const scorer = await Scorer.create(readModelDir(resolve(cfg.model.path)), { intraOpNumThreads: cfg.model.intraOpThreads });
  log.info({ model: scorer.card.name, version: scorer.version, spec: scorer.specVersion }, 'model loaded');
  return new ModelHolder(scorer);
}

/** Starts a worker on the durable consumer `score`; it drains before the infrastructure closes. */
export async function startWorker(infra: Infrastructure, validator: Validator = (values) => validateSurvey(values)): Promise<SurveyWorker> {
  const { cfg, log, metrics, ch, pii } = infra;
  const consumer = await infra.bus.js.consumers.get('SURVEYS', 'score');
  const rejections = createRejectionSink(infra.bus.js, ch, pii, metrics);
  const models = infra.stack.use('models', await loadModels(infra));
  const worker = new SurveyWorker(cfg.worker, {
    consumer,
    featurize: featurizeStage(models),
    score: createScoreStep(models, metrics),
    sinks: [createSurveySink(ch, pii, metrics), createPredictionSink(infra.bus.js, ch, pii, cfg.predictions, metrics), rejections],
    deadLetterSink: rejections,
    validator,
    metrics,
    log: log.child({ stage: 'worker' }),
  });
  worker.start().catch(() => undefined);
  infra.stack.use('worker', worker);
  return worker;
}
