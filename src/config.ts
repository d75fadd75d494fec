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
      /** Stream replicas (3 on a cluster). @default 1 */
      streamReplicas: z.coerce.number().int().min(1).max(5).default(1),
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
  WORKER_MAX_BATCH_ROWS: 'worker.maxBatchRows',
  WORKER_FLUSH_INTERVAL_MS: 'worker.flushIntervalMs',
  WORKER_MAX_IN_FLIGHT: 'worker.maxInFlight',
  WORKER_PULL_BATCH: 'worker.pullBatch',
  WORKER_MAX_DELIVER: 'worker.maxDeliver',
  MODEL_PATH: 'model.path',
  MODEL_THREADS: 'model.intraOpThreads',
  PREDICTIONS_FORMAT: 'predictions.format',
  PII_KEYS: 'pii.keys',
  PII_ACTIVE_KEY_ID: 'pii.activeKeyId',
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
