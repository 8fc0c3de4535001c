// `npm run build:engine`: builds the engine process bundle (.vite/build/engine-process.cjs and the worker files it
// starts) exactly as Electron Forge's Vite plugin does for `npm run package`, from the same entry in
// forge.config.ts, but without the Electron download that packaging needs. test/app/engine-bundle.test.ts runs it.
import { build } from 'vite';
import forgeConfig from '../forge.config.ts';

const vitePlugin = forgeConfig.plugins?.find((p) => p.name === 'vite');
if (!vitePlugin) throw new Error('forge.config.ts has no Vite plugin');
const spec = vitePlugin.config.build.find((b) => b.entry === 'electron/main/engine-process.ts');
if (!spec) throw new Error('forge.config.ts builds no electron/main/engine-process.ts');
vitePlugin.setDirectories(process.cwd());
vitePlugin.isProd = true;
// Unlike `npm run package`, .vite/ is not emptied first: the main process's bundle there (for npm start and the
// Electron tests) stays. Every file the bundle loads has its content's hash in its name, so none left by an earlier
// build can stand in for one this build lacks.
const resolved = await vitePlugin.configGenerator.resolveConfig(spec, spec.target ?? 'main');
await build({ configFile: false, logLevel: 'error', ...resolved, clearScreen: false });
console.log(`built ${resolved.build.outDir}/engine-process.cjs`);
