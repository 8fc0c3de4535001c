import { Command, CommanderError } from 'commander';
import { Cli } from './context.ts';
import { registerCollectionCommands } from './commands/collections.ts';
import { registerEvalCommands } from './commands/eval.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerLexicalCommands } from './commands/lexical.ts';
import { registerModelCommands } from './commands/models.ts';
import { registerPairCommands } from './commands/pairs.ts';
import { registerPackCommands } from './commands/packs.ts';
import { registerTrainingCommands } from './commands/training.ts';
import { registerBridgeCommands } from './commands/bridge.ts';
import { registerCommunityCommands } from './commands/community.ts';
import { exitCodes } from '../engine/errors.ts';

// Start-up budget: `pont --help` and a search on the demo answer in ≤ 0.3 s (issue 12; `npm run bench cli`), and
// every call pays for whatever the modules below import. So a command module (commands/*.ts) registers its commands
// with commander and imports, at the top, only commander, ../context.ts, ../table.ts, `import type` of anything,
// and small modules of constants. Everything that does the work (the engine, SQLite, onnxruntime, PDF/DOCX readers,
// the HTTP server) is reached through `cli.call(method, …)`, which loads the workspace and that method's handler
// module on demand (electron/api/handlers/index.ts), or through `await import(…)` inside an action.
// test/experiments/cli-startup.test.ts fails when `--help` loads one of them. Add a command: one register… line.

export function buildProgram(): { program: Command; cli: Cli } {
  const program = new Command('pont')
    .description('Pont: search across language varieties, offline. Every command also takes --json.')
    .option('-w, --workspace <dir>', 'workspace directory (default: $PONT_WORKSPACE, else the per-user data directory)')
    .option('--json', 'print machine-readable JSON instead of tables')
    .option('--no-demo', 'do not put the demo collection into a newly created workspace')
    .showHelpAfterError()
    .exitOverride();
  const cli = new Cli(program);
  registerCollectionCommands(program, cli);
  registerEvalCommands(program, cli);
  registerServeCommands(program, cli);
  registerLexicalCommands(program, cli);
  registerModelCommands(program, cli);
  registerPairCommands(program, cli);
  registerPackCommands(program, cli);
  registerTrainingCommands(program, cli);
  registerBridgeCommands(program, cli);
  registerCommunityCommands(program, cli);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return { program, cli };
}

export async function main(argv: string[]): Promise<number> {
  const { program, cli } = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with code 0.
      return e.exitCode === 0 ? 0 : exitCodes.invalid_input;
    }
    return cli.report(e);
  }
}
