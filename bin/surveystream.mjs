#!/usr/bin/env node
// The `surveystream` command. TypeScript sources run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
// `surveystream ... | head`: a reader that went away ends the output, not the process with a stack.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
