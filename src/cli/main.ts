/** The `surveystream` command: dispatches to one subcommand module each. */
import type { Command } from './args.js';

const USAGE = `usage: surveystream <command> [options]

pipeline
  dev                 run every role in one process (embedded NATS + chDB unless URLs are set)
  gateway             run the gRPC ingestion gateway
  worker              run a worker on the shared durable consumer
  demo                start the pipeline, submit generated surveys over gRPC, print a summary
  generate            write synthetic surveys (NDJSON or CSV with the original column names)
  simulate            field devices submitting generated surveys over gRPC at a given rate
  train               train a model (GBDT or logistic) from a survey file or ClickHouse; writes ONNX + card

operations
  streams apply       create or update the JetStream streams and consumers in streams/
  migrate             apply the ClickHouse migrations in deploy/clickhouse/
  query "SQL"         run a read query on ClickHouse (the embedded store when CLICKHOUSE_URL is unset)
  dlq list|show|replay   inspect and re-drive dead-lettered surveys
  pii keygen|decrypt|hash   PII keys and operator recovery of protected values

Configuration comes from environment variables (and SURVEYSTREAM_CONFIG=<file.json>); see README.md.
`;

const COMMANDS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./serve.js')).serveCommand('dev'),
  gateway: async () => (await import('./serve.js')).serveCommand('gateway'),
  worker: async () => (await import('./serve.js')).serveCommand('worker'),
  demo: async () => (await import('./demo.js')).demoCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  simulate: async () => (await import('./simulate.js')).simulateCommand,
  train: async () => (await import('./train.js')).trainCommand,
  streams: async () => (await import('./admin.js')).streamsCommand,
  migrate: async () => (await import('./admin.js')).migrateCommand,
  query: async () => (await import('./query.js')).queryCommand,
  dlq: async () => (await import('./dlq.js')).dlqCommand,
  pii: async () => (await import('./pii.js')).piiCommand,
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
