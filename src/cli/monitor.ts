/** `surveystream monitor`: the monitor role alone (drift, performance, alerts, health). */
import type { Command } from './args.js';
import { serveCommand } from './serve.js';

/** Runs the monitor role until a signal. */
export const monitorCommand: Command = serveCommand('monitor');
