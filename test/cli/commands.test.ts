import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../electron/cli/main.ts';

// `pont CMD` registers only the command modules that name CMD (electron/cli/main.ts, CLI start-up): each command must
// come out exactly as in the whole program, or a call would miss a subcommand or an option that --help shows.

interface Shape {
  name: string;
  aliases: string[];
  options: string[];
  commands: Shape[];
}
const shape = (c: Command): Shape => ({ name: c.name(), aliases: c.aliases(), options: c.options.map((o) => o.flags), commands: c.commands.map(shape) });

describe('the CLI builds only the called command', () => {
  it('registers each top-level command as the whole program does, from its own modules', async () => {
    const all = (await buildProgram()).program;
    expect(all.commands.length).toBeGreaterThan(10);
    for (const c of all.commands) {
      const only = (await buildProgram(c.name())).program;
      expect(shape(only.commands.find((x) => x.name() === c.name())!), c.name()).toEqual(shape(c));
      expect(only.commands.length, c.name()).toBeLessThan(all.commands.length);
    }
  });

  it('registers every command for no command, help, or a command nobody names', async () => {
    const names = (p: Command) => p.commands.map((c) => c.name()).sort();
    const all = names((await buildProgram()).program);
    for (const command of [undefined, 'help', 'serch']) expect(names((await buildProgram(command)).program), String(command)).toEqual(all);
  });
});
