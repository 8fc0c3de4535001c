import { runtimeHeapFlags, startupEnv, startupHeapFlags } from '../engine/jobs/heap-flags.ts';

export { runtimeHeapFlags };

// Only these top-level commands work on whole collections, query sets or models long enough for V8's heap sizes to
// matter; the others (--help, search, the listings) must not pay for starting Node twice (≤ 0.3 s, issue 12).
const longCommands = new Set(['experiment', 'run', 'eval', 'index', 'collection', 'train', 'encode', 'dense', 'pairs', 'pack', 'bridge', 'serve']);
// Global options that take a value: the word after them is not the command.
const withValue = new Set(['-w', '--workspace']);

/** The top-level command of a `pont` command line, or undefined (`pont`, `pont --help`). */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function isLong(args: readonly string[]): boolean {
  const command = commandOf(args);
  return command !== undefined && longCommands.has(command) && !args.includes('--help') && !args.includes('-h');
}

/**
 * The flags a `pont` call must start Node with that this process lacks (V8 reads them only at start), or [] when it
 * has them (it was started so, or the user set them in NODE_OPTIONS or on node's command line), or when the command
 * is a quick one.
 */
export function relaunchFlags(args: readonly string[], execArgv: readonly string[], nodeOptions = ''): string[] {
  if (!isLong(args)) return [];
  // V8 spells its flags with dashes or underscores.
  const name = (flag: string) => flag.split('=')[0]!.replaceAll('_', '-');
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(name));
  return startupHeapFlags.filter((f) => !given.has(name(f)));
}

/** The same for the environment the C library reads at start (`startupEnv`): the variables this process lacks. */
export function relaunchEnv(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (!isLong(args)) return {};
  return Object.fromEntries(Object.entries(startupEnv).filter(([k]) => env[k] === undefined));
}
