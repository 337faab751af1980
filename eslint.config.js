// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'test-results/', 'node_modules/', 'bench/tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fastify plugins and hooks are async functions by convention, await or not.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='reveal']",
          message: 'Only the upstream client may reveal the API key.',
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['node:http', 'http'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'Load node:http with nodeHttp() (src/http/node-http.ts): an ES import of it loads undici.',
          })),
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config.ts and the entry points read the environment.',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'src/server.ts', 'src/dev/demo.ts', 'src/dev/simulate.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests may read the environment and look at a key they made themselves.
    files: ['src/upstream/client.ts', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The simulated upstream is a development tool, not the service.
    files: ['test/**', 'bench/**', 'src/dev/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['eslint.config.js', 'bench/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
)
