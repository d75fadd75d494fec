/** Small helpers shared by the subcommands. */
import { ConfigError, loadConfig, type Config } from '../config.js';
import { PipelineError } from '../errors.js';

export type Command = (args: string[]) => Promise<number>;

/** Prints a readable message for expected failures; a stack only for bugs. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError || err instanceof PipelineError) {
    process.stderr.write(`surveystream: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`surveystream: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  return 1;
}

export function config(overrides: Record<string, unknown> = {}): Readonly<Config> {
  return loadConfig(process.env, overrides);
}

/**
 * Resolves when SIGINT/SIGTERM arrives. A second signal forces exit (130) without waiting for the
 * drain.
 */
export function untilSignal(onSecond: () => void = () => process.exit(130)): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (seen) {
        process.stderr.write(`surveystream: second ${signal}, forcing exit\n`);
        onSecond();
        return;
      }
      seen = true;
      process.stderr.write(`surveystream: ${signal} received, draining (send again to force)\n`);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
