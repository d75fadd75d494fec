import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every temp dir the integration harness makes lives here, so stale servers can be found. */
export const HARNESS_ROOT = join(tmpdir(), 'surveystream-test');
