/** The `surveystream` command: dispatches to one subcommand module each. */
import type { Command } from './args.js';

const USAGE = `usage: surveystream <command> [options]

pipeline
  dev                 run every role in one process (embedded NATS + chDB unless URLs are set)
  gateway             run the gRPC ingestion gateway
  worker              run a worker on the shared durable consumer
  monitor             drift, performance, alerts and health from ClickHouse and JetStream
  archiver            archive raw surveys (PII-protected gzip NDJSON) to the object store
  trainer             retrain on triggers, evaluate against the champion, promote (one acts at a time)
  demo                start the pipeline, submit generated surveys over gRPC, print a summary
  generate            write synthetic surveys (NDJSON or CSV with the original column names)
  simulate            field devices submitting generated surveys over gRPC at a given rate
  train               train a model (GBDT or logistic) from a survey file or ClickHouse; writes ONNX + card

operations
  streams apply       create or update the JetStream streams and consumers in streams/
  migrate             apply the ClickHouse migrations in deploy/clickhouse/
  health [--json]     the health score (asks a running monitor, else computes it)
  query "SQL"         run a read query on ClickHouse (the embedded store when CLICKHOUSE_URL is unset)
  dlq list|show|replay   inspect and re-drive dead-lettered surveys
  tokens issue|revoke|list   per-device bearer tokens for the gateway
  pii keygen|decrypt|hash   PII keys and operator recovery of protected values
  models list|show|promote|shadow|unshadow|rollback|retrain   the model registry (asks a running trainer)
  retrain             train a candidate now (= models retrain)

clients (of a running gateway)
  upload FILE         upload a CSV/XLSX/JSON/NDJSON/Parquet file of surveys, with progress and final status
  status ID           counts per stage and state of an upload (ingestion)
  watch               print predictions as they are published (--district, --risk, --since)

Configuration comes from environment variables (and SURVEYSTREAM_CONFIG=<file.json>); see README.md.
`;

const COMMANDS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./serve.js')).serveCommand('dev'),
  gateway: async () => (await import('./serve.js')).serveCommand('gateway'),
  worker: async () => (await import('./serve.js')).serveCommand('worker'),
  archiver: async () => (await import('./archiver.js')).archiverCommand,
  trainer: async () => (await import('./trainer.js')).trainerCommand,
  monitor: async () => (await import('./monitor.js')).monitorCommand,
  health: async () => (await import('./health.js')).healthCommand,
  models: async () => (await import('./models.js')).modelsCommand,
  retrain: async () => (await import('./models.js')).retrainCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  simulate: async () => (await import('./simulate.js')).simulateCommand,
  train: async () => (await import('./train.js')).trainCommand,
  streams: async () => (await import('./admin.js')).streamsCommand,
  migrate: async () => (await import('./admin.js')).migrateCommand,
  query: async () => (await import('./query.js')).queryCommand,
  dlq: async () => (await import('./dlq.js')).dlqCommand,
  pii: async () => (await import('./pii.js')).piiCommand,
  upload: async () => (await import('./upload.js')).uploadCommand,
  status: async () => (await import('./status.js')).statusCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
  tokens: async () => (await import('./tokens.js')).tokensCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`surveystream: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}
