// Lint: typescript-eslint (with type information), the hooks rules, and the
// layering of src/ as rules (domain ← data ← ui/sw; domain ← server; no import
// cycles, static or dynamic). Formatting is Prettier's job (`npm run format`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Each layer of src/ and the layers it must not import (see tests/architecture.test.ts). */
const layerZones = [
  { target: './src/domain', from: ['./src/data', './src/ui', './src/sw', './src/server', './src/console'] },
  { target: './src/data', from: ['./src/ui', './src/sw', './src/server', './src/console'] },
  { target: './src/ui', from: ['./src/sw', './src/server', './src/console'] },
  { target: './src/sw', from: ['./src/ui', './src/server', './src/console'] },
  { target: './src/server', from: ['./src/data', './src/ui', './src/sw', './src/console'] },
  { target: './src/console', from: ['./src/data', './src/ui', './src/sw', './src/server'] },
];

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'dev-dist/', 'coverage/', 'data/', 'node_modules/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      // Parse .ts/.tsx dependencies too (without this, no-cycle silently sees no edges).
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'import-x/no-cycle': ['error', { maxDepth: Infinity, allowUnsafeDynamicCyclicDependency: false }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      // One way to read a store from a component (src/ui/useStore.ts); zustand's own hook would pull in preact/compat.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zustand',
              message:
                "Create stores with 'zustand/vanilla' and read them with useStore (src/ui/useStore.ts, or src/console/useStore.ts in the console).",
            },
          ],
        },
      ],
      // Storage back ends implement async interfaces with synchronous drivers (better-sqlite3).
      '@typescript-eslint/require-await': 'off',
      // Event handlers may be async; their errors are handled inside them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
