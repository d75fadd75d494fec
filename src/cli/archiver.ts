/** `surveystream archiver`: the archiver role alone (durable consumer `archive` → object store). */
import type { Command } from './args.js';
import { serveCommand } from './serve.js';

export const archiverCommand: Command = serveCommand('archiver');
