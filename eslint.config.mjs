// The rules of the house that code review alone would not keep: which way imports go between the layers
// (see docs/ARCHITECTURE.md), promises that nobody awaits, and type-only imports marked as such.
import tseslint from 'typescript-eslint';

/** A relative import that reaches one of these top-level folders of src/. */
const into = (...folders) => `^(\\.\\.?/)+(${folders.join('|')})(/|$)`;
const layer = (message, ...folders) => ({ regex: into(...folders), message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'bench/suites/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the engine is pure Node: it never imports vscode' }],
        patterns: [layer('the engine is the bottom layer: it never imports the server, the extension, the CLI or the bench', 'server', 'extension', 'cli', 'bench')],
      }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the engine process runs outside VS Code: it never imports vscode' }],
        patterns: [layer('the server sits on the engine: it never imports the extension, the CLI or the bench', 'extension', 'cli', 'bench')],
      }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { ...layer('the extension talks to the engine through the server protocol; it imports the engine only as types', 'engine'), allowTypeImports: true },
          layer('the extension never imports the CLI or the bench', 'cli', 'bench'),
          { regex: '^(\\.\\./)+server/(?!protocol$|solve-args$)', message: 'the extension reaches the engine process only through the boundary files server/protocol and server/solve-args' },
        ],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the CLI and the bench run outside VS Code' }],
        patterns: [layer('the CLI and the bench sit on the engine: never the server or the extension', 'server', 'extension')],
      }],
    },
  },
  {
    files: ['src/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the bench runs outside VS Code' }],
        patterns: [layer('the bench is a consumer of the engine like the CLI: never the CLI, the server or the extension', 'cli', 'server', 'extension')],
      }],
    },
  },
);
