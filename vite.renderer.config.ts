import { defineConfig, type ConfigEnv } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// The renderer is one static bundle: the HTTP server serves it to a browser and Electron loads it from disk, so asset
// paths are relative and nothing is fetched from the network. Under Electron Forge the plugin picks the output
// folder (.vite/renderer/main_window); otherwise it goes to renderer/dist, which `pont serve` serves.
export default defineConfig((env: ConfigEnv & { forgeConfigSelf?: unknown }) => ({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    ...(env.forgeConfigSelf ? {} : { outDir: fileURLToPath(new URL('./renderer/dist', import.meta.url)), emptyOutDir: true }),
    target: 'es2022',
    // Inline nothing: the Content-Security-Policy allows scripts, styles and fonts from the bundle's own files only.
    assetsInlineLimit: 0,
  },
}));
