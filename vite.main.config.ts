import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The main and engine processes load native addons (better-sqlite3, onnxruntime-node, sqlite-vec) and other
// production dependencies from node_modules at run time instead of bundling them, and Node's own modules.
const external = [...Object.keys(pkg.dependencies), ...builtinModules, /^node:/];

// The bundles are CommonJS, where import.meta.url does not exist: the engine locates its workers (and the demo,
// by default) from it, so give it the bundle's own file URL. Only in the CommonJS bundles: the workers are ES
// modules, where import.meta.url is native and __filename does not exist (a `define` would reach them too). Runs
// after vite has turned each `new Worker(new URL('./x.ts', import.meta.url))` into a reference to the built file.
const cjsImportMetaUrl: Plugin = {
  name: 'pont:cjs-import-meta-url',
  enforce: 'post',
  transform(code) {
    if (!code.includes('import.meta.url')) return null;
    return { code: code.replaceAll('import.meta.url', 'require("node:url").pathToFileURL(__filename).href'), map: null };
  },
};

export default defineConfig({
  // Built files (the workers) are referred to relative to the file that starts them, not from a web root ("/assets/…",
  // which Node reads as the file system's root). From an ES module (a worker starting another) vite's own relative
  // URL does (`new URL('x.js', import.meta.url)`); from the CommonJS bundles its `require('u' + 'rl')` comes out as
  // `require("node:path")` in some chunks, so they get the same URL written out here.
  base: './',
  experimental: {
    renderBuiltUrl(filename, { hostId, hostType }) {
      if (hostType !== 'js' || !hostId.endsWith('.cjs')) return { relative: true };
      const path = posix.relative(posix.dirname(hostId), filename);
      return { runtime: `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(path)})).href` };
    },
  },
  build: {
    rollupOptions: { external },
  },
  plugins: [cjsImportMetaUrl],
  // The engine's worker threads (index builders, model runners, training) use top-level await, so they are bundled as
  // ES modules (the package is "type": "module", so Node loads them as such). A worker is bundled on its own, for
  // Node as well: the same modules stay outside it.
  worker: { format: 'es', rollupOptions: { external } },
});
