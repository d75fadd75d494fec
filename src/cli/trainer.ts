/** `surveystream trainer`: the trainer role alone (retraining triggers, evaluation, promotion). */
import type { Command } from './args.js';
import { serveCommand } from './serve.js';

export const trainerCommand: Command = serveCommand('trainer');
