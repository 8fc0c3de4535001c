import type { ForgeConfig } from '@electron-forge/shared-types';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { MakerZIP } from '@electron-forge/maker-zip';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';

// Development and quick packages (npm run package / make). Installers for partners are built with
// electron-builder (electron-builder.json), which also ships the native production dependencies.
const config: ForgeConfig = {
  packagerConfig: {
    name: 'Pont',
    executableName: 'pont',
    icon: 'build/icon',
    asar: { unpack: '**/{*.node,*.so,*.dylib,*.dll}' },
    extraResource: ['resources/demo', 'resources/packs'],
  },
  // Only N-API addons are used, which need no rebuild for Electron (and no Electron headers can be fetched here).
  rebuildConfig: { onlyModules: [] },
  makers: [new MakerZIP({}, ['darwin', 'linux', 'win32']), new MakerDeb({ options: { icon: 'build/icon.png', categories: ['Education', 'Utility'] } }), new MakerSquirrel({})],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/main/engine-process.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
