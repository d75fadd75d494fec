/**
 * Every metric the roles export, built on one injected Registry (tests build their own).
 * Names follow `surveystream_<stage>_<thing>_<unit>`; labels are bounded (stage, outcome, table).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Records leaving a stage, by outcome (ok, rejected, duplicate, retried, failed). */
  readonly records: Counter<'stage' | 'outcome'>;
  readonly stageSeconds: Histogram<'stage'>;
  readonly batchRows: Histogram<'sink'>;
  readonly insertSeconds: Histogram<'table'>;
  readonly insertFailures: Counter<'table'>;
  readonly grpcRequests: Counter<'method' | 'code'>;
  readonly publishSeconds: Histogram<'stream'>;
  readonly inFlight: Gauge;
  readonly ruleHits: Counter<'rule' | 'severity' | 'district'>;
  readonly workerModel: Gauge<'model' | 'version' | 'role'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    records: new Counter({
      name: 'surveystream_records_total',
      help: 'Records that left a pipeline stage, by outcome.',
      labelNames: ['stage', 'outcome'],
      registers,
    }),
    stageSeconds: new Histogram({
      name: 'surveystream_stage_duration_seconds',
      help: 'Time a micro-batch spent in a stage.',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchRows: new Histogram({
      name: 'surveystream_batch_rows',
      help: 'Rows per micro-batch flushed to a sink.',
      labelNames: ['sink'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'surveystream_clickhouse_insert_duration_seconds',
      help: 'ClickHouse insert latency per batch.',
      labelNames: ['table'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    insertFailures: new Counter({
      name: 'surveystream_clickhouse_insert_failures_total',
      help: 'ClickHouse inserts that failed (the batch is retried).',
      labelNames: ['table'],
      registers,
    }),
    grpcRequests: new Counter({
      name: 'surveystream_grpc_requests_total',
      help: 'gRPC requests handled, by method and status code.',
      labelNames: ['method', 'code'],
      registers,
    }),
    publishSeconds: new Histogram({
      name: 'surveystream_jetstream_publish_duration_seconds',
      help: 'Time from publish to PubAck.',
      labelNames: ['stream'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    inFlight: new Gauge({
      name: 'surveystream_worker_in_flight_records',
      help: 'Records pulled by this worker and not yet settled.',
      registers,
    }),
    workerModel: new Gauge({
      name: 'surveystream_worker_model_info',
      help: 'Model a worker scores with (1 while loaded), by name, version and role (champion or shadow).',
      labelNames: ['model', 'version', 'role'],
      registers,
    }),
    ruleHits: new Counter({
      name: 'surveystream_validation_rule_hits_total',
      help: 'Validation rule hits, by rule id, severity and district (the four real districts, else "other").',
      labelNames: ['rule', 'severity', 'district'],
      registers,
    }),
  };
}
