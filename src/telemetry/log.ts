/** Root logger: JSON lines on stderr (stdout stays free for CLI output). One child per stage. */
import { pino, destination, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'surveystream', ...base },
      // Credentials never reach logs; PII never does either, because only protected records are logged.
      redact: ['*.password', '*.pass', '*.token', '*.keys', 'config.pii'],
    },
    destination(2),
  );
}
