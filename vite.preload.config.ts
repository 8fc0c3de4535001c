import { defineConfig } from 'vite';

// The preload runs sandboxed: it may only require 'electron', so everything else it uses is bundled into it.
export default defineConfig({});
