#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: Node >= 22.18 strips types itself (see scripts/node.sh).
import { main } from '../electron/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
