import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The main and engine processes load native addons (better-sqlite3, onnxruntime-node, sqlite-vec) and other
// production dependencies from node_modules at run time instead of bundling them.
// The engine's worker threads (index builders, model runners) use top-level await, so they are bundled as ES
// modules (the package is "type": "module", so Node loads them as such).
export default defineConfig({
  build: {
    rollupOptions: { external: Object.keys(pkg.dependencies) },
  },
  worker: { format: 'es' },
  // The bundles are CommonJS, where import.meta.url does not exist: the engine locates its workers (and the demo,
  // by default) from it, so give it the bundle's own file URL.
  define: { 'import.meta.url': 'require("node:url").pathToFileURL(__filename).href' },
});
