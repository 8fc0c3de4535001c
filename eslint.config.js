import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Processes you can see: the engine, API, CLI and HTTP server are Node code that never imports Electron; only the shell
// (electron/main, electron/preload) does. The renderer reaches the engine through the API contract's types only.
const noElectron = {
  regex: '^electron(/|$)',
  message: 'only electron/main and electron/preload may import Electron; the engine runs headless too',
};

export default tseslint.config(
  { ignores: ['node_modules/', '**/.vite/', '.gpu/', 'bench-results/', 'dist/', 'out/', 'renderer/dist/', 'test-results/', 'playwright-report/', '**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            {
              regex: '^(\\.\\./)+electron/(?!api/contract/)',
              message: 'the renderer talks to the engine through the API contract only (electron/api/contract)',
            },
            { regex: '^node:', message: 'the renderer runs in a browser' },
          ],
        },
      ],
    },
  },
);
