import { Command, CommanderError } from 'commander';
import { Cli } from './context.ts';
import { commandOf } from './relaunch.ts';
import { exitCodes } from '../engine/errors.ts';

// Start-up budget: `pont --help` and a search on the demo answer in ≤ 0.3 s (issue 12; `npm run bench cli`), and
// every call pays for whatever the modules below import. So a command module (commands/*.ts) registers its commands
// with commander and imports, at the top, only commander, ../context.ts, ../table.ts, `import type` of anything,
// and small modules of constants. Everything that does the work (the engine, SQLite, onnxruntime, PDF/DOCX readers,
// the HTTP server) is reached through `cli.call(method, …)`, which loads the workspace and that method's handler
// module on demand (electron/api/handlers/index.ts), or through `await import(…)` inside an action.
// test/experiments/cli-startup.test.ts fails when `--help` loads one of them.

type Register = (program: Command, cli: Cli) => void;

/**
 * Each subsystem's command module and the top-level commands it adds. A call imports and registers only the modules
 * that name its command, in this order (`train` adds to `model`, so the model commands come first and name `train`
 * too): a search does not build the other nine modules' commands (~30 ms). `pont`, `pont --help` and a command no
 * module names (a typo, which commander answers with a suggestion) register them all. test/cli/commands.test.ts
 * checks the names against what the modules register. Add a command module: one line here.
 */
const commandModules: readonly { commands: readonly string[]; load: () => Promise<Register> }[] = [
  { commands: ['collection', 'queries', 'qrels'], load: async () => (await import('./commands/collections.ts')).registerCollectionCommands },
  { commands: ['eval', 'experiment', 'runs'], load: async () => (await import('./commands/eval.ts')).registerEvalCommands },
  { commands: ['serve'], load: async () => (await import('./commands/serve.ts')).registerServeCommands },
  { commands: ['index', 'search', 'run'], load: async () => (await import('./commands/lexical.ts')).registerLexicalCommands },
  { commands: ['model', 'encode', 'dense', 'rerank', 'train'], load: async () => (await import('./commands/models.ts')).registerModelCommands },
  { commands: ['pairs'], load: async () => (await import('./commands/pairs.ts')).registerPairCommands },
  { commands: ['pack'], load: async () => (await import('./commands/packs.ts')).registerPackCommands },
  { commands: ['train', 'model'], load: async () => (await import('./commands/training.ts')).registerTrainingCommands },
  { commands: ['bridge'], load: async () => (await import('./commands/bridge.ts')).registerBridgeCommands },
  { commands: ['feedback'], load: async () => (await import('./commands/community.ts')).registerCommunityCommands },
];

/** The program with the commands of `command`'s modules, or with every command when `command` is undefined or unknown. */
export async function buildProgram(command?: string): Promise<{ program: Command; cli: Cli }> {
  const program = new Command('pont')
    .description('Pont: search across language varieties, offline. Every command also takes --json.')
    .option('-w, --workspace <dir>', 'workspace directory (default: $PONT_WORKSPACE, else the per-user data directory)')
    .option('--json', 'print machine-readable JSON instead of tables')
    .option('--no-demo', 'do not put the demo collection into a newly created workspace')
    .showHelpAfterError()
    .exitOverride();
  const cli = new Cli(program);
  const named = commandModules.filter((m) => command !== undefined && m.commands.includes(command));
  const registers = await Promise.all((named.length > 0 ? named : commandModules).map((m) => m.load()));
  for (const register of registers) register(program, cli);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return { program, cli };
}

export async function main(argv: string[]): Promise<number> {
  const { program, cli } = await buildProgram(commandOf(argv));
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
