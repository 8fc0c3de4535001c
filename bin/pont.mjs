#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: Node >= 22.18 strips types itself (see scripts/node.sh).
// Node's on-disk compile cache keeps the stripped and compiled modules between calls, which halves start-up.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
