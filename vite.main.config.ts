import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The main and engine processes load native addons (better-sqlite3, onnxruntime-node, sqlite-vec) and other
// production dependencies from node_modules at run time instead of bundling them.
export default defineConfig({
  build: {
    rollupOptions: { external: Object.keys(pkg.dependencies) },
  },
});
