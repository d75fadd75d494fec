/**
 * One typed, validated configuration for every role. The only module that reads `process.env`.
 *
 * Sources, later wins: schema defaults < JSON file named by `SURVEYSTREAM_CONFIG` < environment.
 * Embedded defaults (no URL set) vs production (URL set) follow DESIGN.md section 2: NATS_URL unset
 * starts a local nats-server child, CLICKHOUSE_URL unset opens chDB in-process, OBJECT_STORE_URL
 * unset uses local files.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  /** Root for embedded stores. @default './data' */
  dataDir: z.string().default('./data'),
  log: z
    .object({
      /** pino level. @default 'info' */
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    })
    .prefault({}),
  nats: z
    .object({
      /** NATS_URL; unset = start a local `nats-server -js` child. */
      url: z.string().optional(),
      /** nats-server binary for the embedded mode. @default 'nats-server' (found on PATH) */
      serverBin: z.string().default('nats-server'),
      /** JetStream store of the embedded server. @default '<dataDir>/nats' */
      storeDir: z.string().optional(),
      /** Port of the embedded server; 0 = a free port. @default 0 */
      serverPort: port.default(0),
      user: z.string().optional(),
      pass: z.string().optional(),
      token: z.string().optional(),
      /** Path of a .creds file (JWT + nkey). */
      credsFile: z.string().optional(),
      tlsCaFile: z.string().optional(),
      tlsCertFile: z.string().optional(),
      tlsKeyFile: z.string().optional(),
      /** Stream and consumer definitions applied at start. @default './streams' */
      streamsDir: z.string().default('./streams'),
      /**
       * Replicas of the streams and KV buckets (3 on a cluster). Unset: new ones get 1 and existing
       * ones keep theirs, so a process started without it never shrinks a replicated stream.
       */
      streamReplicas: z.coerce.number().int().min(1).max(5).optional(),
      /** Apply streams/ at start-up. @default true */
      applyStreams: z.stringbool().default(true),
    })
    .prefault({}),
  clickhouse: z
    .object({
      /** CLICKHOUSE_URL; unset = embedded chDB under `<dataDir>/clickhouse`. */
      url: z.string().optional(),
      username: z.string().default('default'),
      password: z.string().default(''),
      /** @default 'surveystream' */
      database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('surveystream'),
      /** chDB data directory. @default '<dataDir>/clickhouse' */
      dataDir: z.string().optional(),
      /** Ordered SQL migrations. @default './deploy/clickhouse' */
      migrationsDir: z.string().default('./deploy/clickhouse'),
      /** Apply migrations at start-up. @default true */
      migrate: z.stringbool().default(true),
    })
    .prefault({}),
  grpc: z
    .object({
      /** @default '127.0.0.1' */
      host: z.string().default('127.0.0.1'),
      /** 0 = a free port. @default 50051 */
      port: port.default(50051),
      /** Largest accepted request, bytes. @default 4194304 */
      maxMessageBytes: positiveInt.default(4 * 1024 * 1024),
      /** Grace period before in-flight calls are cancelled at shutdown, ms. @default 5000 */
      shutdownGraceMs: positiveInt.default(5000),
      /** PubAck wait per publish, ms. @default 5000 */
      publishTimeoutMs: positiveInt.default(5000),
      /** Server certificate chain (PEM); with tlsKeyFile turns TLS on. */
      tlsCertFile: z.string().optional(),
      /** Server private key (PEM). */
      tlsKeyFile: z.string().optional(),
      /** CA bundle (PEM): verifies client certificates on the server, the server's certificate in CLI clients. */
      tlsCaFile: z.string().optional(),
      /** mTLS: refuse clients without a certificate signed by tlsCaFile. @default false */
      requireClientCert: z.stringbool().default(false),
      /** 'token' = every IngestService/PredictionService call needs `authorization: Bearer <device token>`. @default 'none' */
      authMode: z.enum(['none', 'token']).default('none'),
      /** JetStream KV bucket holding the hashed device tokens. @default 'device_tokens' */
      tokenBucket: z.string().regex(/^[A-Za-z0-9_-]+$/).default('device_tokens'),
      /** Server-side limit for unary calls (a shorter client deadline wins), ms. @default 15000 */
      unaryTimeoutMs: positiveInt.default(15_000),
      /** Records of one StreamSurveys call waiting for their PubAck before the gateway stops reading. @default 1000 */
      streamWindow: positiveInt.default(1000),
      /** PubAcks outstanding over the whole gateway before publishes answer RESOURCE_EXHAUSTED. @default 20000 */
      maxPendingPublishes: positiveInt.default(20_000),
      /** HTTP/2 keepalive ping interval, ms. @default 60000 */
      keepaliveTimeMs: positiveInt.default(60_000),
      /** Close a connection whose keepalive ping is not answered within, ms. @default 20000 */
      keepaliveTimeoutMs: positiveInt.default(20_000),
      /** Largest file UploadFile accepts, bytes. @default 268435456 (256 MiB) */
      maxUploadBytes: positiveInt.default(256 * 1024 * 1024),
      /** Most data rows in one uploaded file. @default 1000000 */
      maxUploadRows: positiveInt.default(1_000_000),
      /** XLSX: most bytes its zip entries may inflate to, in all. @default 1073741824 (1 GiB) */
      maxUploadInflatedBytes: positiveInt.default(1024 * 1024 * 1024),
      /** XLSX: largest inflated/compressed ratio of a zip entry over 1 MiB (decompression bombs). @default 200 */
      maxZipRatio: positiveInt.default(200),
      /** Uploads are spooled here while they are checked. @default '<dataDir>/spool' */
      spoolDir: z.string().optional(),
      /** Uploads one gateway receives, checks or publishes at once; more answer RESOURCE_EXHAUSTED. @default 8 */
      maxConcurrentUploads: positiveInt.default(8),
      /** A running upload's ingestion row is saved again this often (its liveness), ms. @default 10000 */
      uploadHeartbeatMs: positiveInt.default(10_000),
      /** A running upload whose row was not saved for this long was interrupted (its gateway stopped): FAILED, ms. @default 120000 */
      uploadStaleAfterMs: positiveInt.default(120_000),
      /** Clients (CLI): gateway address. @default '<host>:<port>' */
      target: z.string().optional(),
      /** Clients (CLI): device token sent as `authorization: Bearer`. */
      token: z.string().optional(),
      /** Clients (CLI): client certificate for mTLS (PEM). */
      clientCertFile: z.string().optional(),
      /** Clients (CLI): client key for mTLS (PEM). */
      clientKeyFile: z.string().optional(),
    })
    .refine((g) => g.uploadStaleAfterMs > 2 * g.uploadHeartbeatMs, {
      message: 'UPLOAD_STALE_AFTER_MS must be more than twice UPLOAD_HEARTBEAT_MS, or live uploads would look interrupted',
      path: ['uploadStaleAfterMs'],
    })
    .prefault({}),
  worker: z
    .object({
      /** Flush a micro-batch at this many rows. @default 1000 */
      maxBatchRows: positiveInt.default(1000),
      /** ... or after this long, ms. @default 250 */
      flushIntervalMs: positiveInt.default(250),
      /** Records in flight (pulled, not yet acked) per worker; also the consumer's max_ack_pending floor. @default 4000 */
      maxInFlight: positiveInt.default(4000),
      /** Messages requested per pull. @default 500 */
      pullBatch: positiveInt.default(500),
      /** Deliveries before a record that keeps failing a sink goes to the DLQ. @default 5 */
      maxDeliver: positiveInt.default(5),
      /** Delay before a nak'ed record comes back, ms. @default 2000 */
      retryDelayMs: positiveInt.default(2000),
      /** Time allowed to finish in-flight work at shutdown, ms. @default 15000 */
      drainTimeoutMs: positiveInt.default(15000),
      /** Micro-batches scored and written at the same time. @default 1 */
      flushConcurrency: positiveInt.default(1),
    })
    .prefault({}),
  model: z
    .object({
      /** Model directory (model.onnx + model.json) scored from the first record. @default './models/baseline' */
      path: z.string().default('./models/baseline'),
      /** onnxruntime intra-op threads per session. @default 1 */
      intraOpThreads: positiveInt.default(1),
    })
    .prefault({}),
  predictions: z
    .object({
      /** Message format on predictions.v1.>: protobuf (surveystream.v1.Prediction) or its proto3 JSON. @default 'protobuf' */
      format: z.enum(['protobuf', 'json']).default('protobuf'),
    })
    .prefault({}),
  pii: z
    .object({
      /** Encryption keys as `kid:base64key` (32 bytes each), comma separated. Unset in dev = a generated key under dataDir. */
      keys: z.string().optional(),
      /** Key id used to encrypt new values. @default the first key */
      activeKeyId: z.string().optional(),
    })
    .prefault({}),
  objectStore: z
    .object({
      /** OBJECT_STORE_URL `s3://bucket/prefix`; unset = local files under `dir`. */
      url: z.string().optional(),
      /** Local backend root. @default '<dataDir>/objects' */
      dir: z.string().optional(),
      /** S3 endpoint for MinIO, R2, Ceph (e.g. `http://127.0.0.1:9000`); unset = AWS. */
      endpoint: z.string().optional(),
      /** @default 'us-east-1' */
      region: z.string().optional(),
      /** Path-style addressing (most non-AWS servers need it). @default false */
      forcePathStyle: z.stringbool().default(false),
      /** Static credentials (both or neither); unset = the AWS default provider chain. */
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
    })
    .prefault({}),
  archive: z
    .object({
      /** Run the archiver inside `dev` (the `archiver` role always runs it). @default true */
      enabled: z.stringbool().default(true),
      /** Records per archive object (at most). @default 5000 */
      maxBatchRows: positiveInt.default(5000),
      /** Write what has been collected after this long, ms. @default 10000 */
      flushIntervalMs: positiveInt.default(10_000),
      /** Delete raw archives older than this many days; 0 = keep forever. @default 365 */
      retentionDays: z.coerce.number().int().min(0).default(365),
      /** How often the retention rule runs, ms. @default 3600000 */
      retentionIntervalMs: positiveInt.default(3_600_000),
    })
    .prefault({}),
  trainer: z
    .object({
      /** Run the trainer inside `dev` (the `trainer` role always runs it). @default true */
      enabled: z.stringbool().default(true),
      /** Registered model name. @default 'vulnerability' */
      modelName: z.string().regex(/^[A-Za-z0-9_-]+$/).default('vulnerability'),
      /** How often triggers are checked, ms. @default 30000 */
      checkIntervalMs: positiveInt.default(30_000),
      /** Labelled surveys received since the last trained model that trigger a retrain. @default 1000 */
      minNewLabels: positiveInt.default(1000),
      /** Realised or estimated F1 of the champion below this triggers a retrain. @default 0.85 */
      f1Threshold: z.coerce.number().min(0).max(1).default(0.85),
      /** Cron schedule (5 fields, UTC, standard semantics: 0 and 7 = Sunday); 'off' = none. @default '0 2 * * 0' */
      cron: z.string().default('0 2 * * 0'),
      /** No automatic training sooner than this after the last registered model, ms (manual ignores it). @default 3600000 */
      cooldownMs: z.coerce.number().int().min(0).default(3_600_000),
      /** Metric that decides promotion on the shared held-out window. @default 'roc_auc' */
      promotionMetric: z.enum(['roc_auc', 'pr_auc', 'f1']).default('roc_auc'),
      /** The candidate must beat the champion by at least this much. @default 0.005 */
      promotionMargin: z.coerce.number().default(0.005),
      /** 'champion' = a winning candidate is promoted; 'shadow' = it is put in shadow for a manual promote. @default 'champion' */
      promoteTo: z.enum(['champion', 'shadow']).default('champion'),
      /** Newest share of labelled surveys held out to evaluate candidate and champion. @default 0.2 */
      holdoutShare: z.coerce.number().gt(0).lt(1).default(0.2),
      /** Fewest labelled surveys to train on. @default 500 */
      minTrainingRows: positiveInt.default(500),
      /** Most recent labelled surveys read for one training. @default 100000 */
      maxTrainingRows: positiveInt.default(100_000),
      /** @default 'gbdt' */
      algo: z.enum(['gbdt', 'logistic']).default('gbdt'),
      /** GBDT trees. @default 200 */
      trees: positiveInt.default(200),
      /** GBDT depth. @default 4 */
      depth: positiveInt.default(4),
      /** GBDT learning rate. @default 0.1 */
      learningRate: z.coerce.number().positive().default(0.1),
      /** Trainer lease in KV `models`: held this long without renewal before another trainer may take over, ms. @default 900000 */
      leaseTtlMs: positiveInt.default(900_000),
    })
    .prefault({}),
  monitor: z
    .object({
      /** Run the monitor inside `surveystream dev`. @default true */
      enabled: z.stringbool().default(true),
      /** 'size' = windows of windowRows surveys; 'time' = windows of windowSeconds. @default 'size' */
      windowKind: z.enum(['size', 'time']).default('size'),
      /** Surveys per size window. @default 500 */
      windowRows: positiveInt.default(500),
      /** Length of a time window, s. @default 300 */
      windowSeconds: positiveInt.default(300),
      /** Time between evaluation rounds, ms. @default 5000 */
      intervalMs: positiveInt.default(5000),
      /** A window closes this long after its last row was stored, ms. @default 2000 */
      settleMs: z.coerce.number().int().min(0).default(2000),
      /** Model card monitored (model.json next to model.onnx). @default the model path */
      modelPath: z.string().optional(),
      /** Webhook receiving every alert state change as JSON (POST). */
      webhookUrl: z.url().optional(),
      /** Webhook attempts per alert. @default 5 */
      webhookMaxAttempts: positiveInt.default(5),
      /** First webhook retry delay, ms (doubles per attempt). @default 500 */
      webhookBackoffMs: positiveInt.default(500),
      /** Look-back of the quality, DLQ, ingestion rules and of the health score, ms. @default 300000 */
      lookbackMs: positiveInt.default(300_000),
      /** data_quality fires below this mean quality score. @default 0.8 */
      minQuality: z.coerce.number().min(0).max(1).default(0.8),
      /** dlq_rate fires above this share of dead-lettered records. @default 0.1 */
      maxDlqRate: z.coerce.number().min(0).max(1).default(0.1),
      /** consumer_lag fires above this many undelivered messages. @default 50000 */
      maxPending: positiveInt.default(50_000),
      /** consumer_stalled fires after this long without progress, ms. @default 60000 */
      stallMs: positiveInt.default(60_000),
      /** performance fires when F1 is this far below the card's test F1. @default 0.1 */
      maxF1Drop: z.coerce.number().min(0).max(1).default(0.1),
    })
    .prefault({}),
  http: z
    .object({
      /** Metrics and health endpoint port; 0 = a free port; -1 = off. @default 9464 */
      port: z.coerce.number().int().min(-1).max(65535).default(9464),
      host: z.string().default('127.0.0.1'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and where they go. */
const ENV_MAP: Readonly<Record<string, string>> = {
  SURVEYSTREAM_DATA_DIR: 'dataDir',
  LOG_LEVEL: 'log.level',
  NATS_URL: 'nats.url',
  NATS_SERVER_BIN: 'nats.serverBin',
  NATS_SERVER_PORT: 'nats.serverPort',
  NATS_USER: 'nats.user',
  NATS_PASS: 'nats.pass',
  NATS_TOKEN: 'nats.token',
  NATS_CREDS: 'nats.credsFile',
  NATS_TLS_CA: 'nats.tlsCaFile',
  NATS_TLS_CERT: 'nats.tlsCertFile',
  NATS_TLS_KEY: 'nats.tlsKeyFile',
  SURVEYSTREAM_STREAMS_DIR: 'nats.streamsDir',
  NATS_STREAM_REPLICAS: 'nats.streamReplicas',
  SURVEYSTREAM_APPLY_STREAMS: 'nats.applyStreams',
  CLICKHOUSE_URL: 'clickhouse.url',
  CLICKHOUSE_USER: 'clickhouse.username',
  CLICKHOUSE_PASSWORD: 'clickhouse.password',
  CLICKHOUSE_DATABASE: 'clickhouse.database',
  SURVEYSTREAM_CLICKHOUSE_DIR: 'clickhouse.dataDir',
  SURVEYSTREAM_MIGRATIONS_DIR: 'clickhouse.migrationsDir',
  SURVEYSTREAM_MIGRATE: 'clickhouse.migrate',
  GRPC_HOST: 'grpc.host',
  GRPC_PORT: 'grpc.port',
  GRPC_MAX_MESSAGE_BYTES: 'grpc.maxMessageBytes',
  GRPC_TLS_CERT: 'grpc.tlsCertFile',
  GRPC_TLS_KEY: 'grpc.tlsKeyFile',
  GRPC_TLS_CA: 'grpc.tlsCaFile',
  GRPC_REQUIRE_CLIENT_CERT: 'grpc.requireClientCert',
  GRPC_AUTH_MODE: 'grpc.authMode',
  GRPC_TOKEN_BUCKET: 'grpc.tokenBucket',
  GRPC_UNARY_TIMEOUT_MS: 'grpc.unaryTimeoutMs',
  GRPC_STREAM_WINDOW: 'grpc.streamWindow',
  GRPC_MAX_PENDING_PUBLISHES: 'grpc.maxPendingPublishes',
  GRPC_KEEPALIVE_TIME_MS: 'grpc.keepaliveTimeMs',
  GRPC_KEEPALIVE_TIMEOUT_MS: 'grpc.keepaliveTimeoutMs',
  GRPC_SHUTDOWN_GRACE_MS: 'grpc.shutdownGraceMs',
  GRPC_PUBLISH_TIMEOUT_MS: 'grpc.publishTimeoutMs',
  UPLOAD_MAX_BYTES: 'grpc.maxUploadBytes',
  UPLOAD_MAX_ROWS: 'grpc.maxUploadRows',
  UPLOAD_MAX_INFLATED_BYTES: 'grpc.maxUploadInflatedBytes',
  UPLOAD_MAX_ZIP_RATIO: 'grpc.maxZipRatio',
  UPLOAD_SPOOL_DIR: 'grpc.spoolDir',
  UPLOAD_MAX_CONCURRENT: 'grpc.maxConcurrentUploads',
  UPLOAD_HEARTBEAT_MS: 'grpc.uploadHeartbeatMs',
  UPLOAD_STALE_AFTER_MS: 'grpc.uploadStaleAfterMs',
  GRPC_TARGET: 'grpc.target',
  SURVEYSTREAM_TOKEN: 'grpc.token',
  GRPC_CLIENT_CERT: 'grpc.clientCertFile',
  GRPC_CLIENT_KEY: 'grpc.clientKeyFile',
  WORKER_MAX_BATCH_ROWS: 'worker.maxBatchRows',
  WORKER_FLUSH_INTERVAL_MS: 'worker.flushIntervalMs',
  WORKER_MAX_IN_FLIGHT: 'worker.maxInFlight',
  WORKER_PULL_BATCH: 'worker.pullBatch',
  WORKER_MAX_DELIVER: 'worker.maxDeliver',
  WORKER_FLUSH_CONCURRENCY: 'worker.flushConcurrency',
  WORKER_RETRY_DELAY_MS: 'worker.retryDelayMs',
  WORKER_DRAIN_TIMEOUT_MS: 'worker.drainTimeoutMs',
  MODEL_PATH: 'model.path',
  MODEL_THREADS: 'model.intraOpThreads',
  PREDICTIONS_FORMAT: 'predictions.format',
  PII_KEYS: 'pii.keys',
  PII_ACTIVE_KEY_ID: 'pii.activeKeyId',
  OBJECT_STORE_URL: 'objectStore.url',
  OBJECT_STORE_DIR: 'objectStore.dir',
  S3_ENDPOINT: 'objectStore.endpoint',
  AWS_REGION: 'objectStore.region',
  S3_FORCE_PATH_STYLE: 'objectStore.forcePathStyle',
  S3_ACCESS_KEY_ID: 'objectStore.accessKeyId',
  S3_SECRET_ACCESS_KEY: 'objectStore.secretAccessKey',
  ARCHIVE_ENABLED: 'archive.enabled',
  ARCHIVE_MAX_BATCH_ROWS: 'archive.maxBatchRows',
  ARCHIVE_FLUSH_INTERVAL_MS: 'archive.flushIntervalMs',
  ARCHIVE_RETENTION_DAYS: 'archive.retentionDays',
  ARCHIVE_RETENTION_INTERVAL_MS: 'archive.retentionIntervalMs',
  TRAINER_ENABLED: 'trainer.enabled',
  TRAINER_MODEL_NAME: 'trainer.modelName',
  TRAINER_CHECK_INTERVAL_MS: 'trainer.checkIntervalMs',
  TRAINER_MIN_NEW_LABELS: 'trainer.minNewLabels',
  TRAINER_F1_THRESHOLD: 'trainer.f1Threshold',
  TRAINER_CRON: 'trainer.cron',
  TRAINER_COOLDOWN_MS: 'trainer.cooldownMs',
  TRAINER_PROMOTION_METRIC: 'trainer.promotionMetric',
  TRAINER_PROMOTION_MARGIN: 'trainer.promotionMargin',
  TRAINER_PROMOTE_TO: 'trainer.promoteTo',
  TRAINER_HOLDOUT_SHARE: 'trainer.holdoutShare',
  TRAINER_MIN_TRAINING_ROWS: 'trainer.minTrainingRows',
  TRAINER_MAX_TRAINING_ROWS: 'trainer.maxTrainingRows',
  TRAINER_ALGO: 'trainer.algo',
  TRAINER_TREES: 'trainer.trees',
  TRAINER_DEPTH: 'trainer.depth',
  TRAINER_LEARNING_RATE: 'trainer.learningRate',
  TRAINER_LEASE_TTL_MS: 'trainer.leaseTtlMs',
  MONITOR_ENABLED: 'monitor.enabled',
  MONITOR_WINDOW_KIND: 'monitor.windowKind',
  MONITOR_WINDOW_ROWS: 'monitor.windowRows',
  MONITOR_WINDOW_SECONDS: 'monitor.windowSeconds',
  MONITOR_INTERVAL_MS: 'monitor.intervalMs',
  MONITOR_SETTLE_MS: 'monitor.settleMs',
  MONITOR_MODEL_PATH: 'monitor.modelPath',
  MONITOR_WEBHOOK_URL: 'monitor.webhookUrl',
  MONITOR_WEBHOOK_MAX_ATTEMPTS: 'monitor.webhookMaxAttempts',
  MONITOR_WEBHOOK_BACKOFF_MS: 'monitor.webhookBackoffMs',
  MONITOR_LOOKBACK_MS: 'monitor.lookbackMs',
  MONITOR_STALL_MS: 'monitor.stallMs',
  MONITOR_MIN_QUALITY: 'monitor.minQuality',
  MONITOR_MAX_DLQ_RATE: 'monitor.maxDlqRate',
  MONITOR_MAX_PENDING: 'monitor.maxPending',
  MONITOR_MAX_F1_DROP: 'monitor.maxF1Drop',
  HTTP_PORT: 'http.port',
  HTTP_HOST: 'http.host',
};

/** Raised when the configuration is invalid; `message` is readable as it is. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function readFileConfig(path: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(resolve(path), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${path} must hold a JSON object`);
    }
    return parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Builds the configuration from the environment (and the optional file), validates it, and returns
 * it frozen. Throws {@link ConfigError} with every problem listed.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, unknown> = {},
): Readonly<Config> {
  const file = env['SURVEYSTREAM_CONFIG'];
  const raw: Record<string, unknown> = file ? readFileConfig(file) : {};
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, value] of Object.entries(overrides)) setPath(raw, path, String(value));
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The environment variable names the configuration reads (for docs and `surveystream config`). */
export const CONFIG_ENV_VARS: readonly string[] = ['SURVEYSTREAM_CONFIG', ...Object.keys(ENV_MAP)];

/** Each environment variable and the setting it sets (dotted path). */
export const CONFIG_ENV_MAP: Readonly<Record<string, string>> = ENV_MAP;
