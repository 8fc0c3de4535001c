#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: Node >= 22.18 strips types itself (see scripts/node.sh).
// Node's on-disk compile cache keeps the stripped and compiled modules between calls, which halves start-up.
import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';

enableCompileCache?.();
// On a machine with much memory V8 lets the heap grow to several times what it holds before it collects: an
// experiment holding 0.4 GB reached 1.6 GB of resident memory. Growing by a quarter at most costs a few per cent of
// CPU and keeps resident memory near the live data (docs/evaluation.md, experiments at scale).
setFlagsFromString('--heap-growing-percent=25');
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
