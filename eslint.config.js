// Lint configuration: typescript-eslint's type-checked rules over the whole tree (CI runs it through `npm test`'s
// gate, see .ci/run and README "Testing").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', 'demo-output/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Ports are async; an in-memory implementation of one (a fake, the local store, a receiver) need not await.
      '@typescript-eslint/require-await': 'off',
      // `import { z } from 'zod'` pulls all of zod's locales into a Lambda bundle (+347 KiB); the namespace import does not.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier",
          message: "Use `import * as z from 'zod'`: a named import bundles every zod locale into the Lambda.",
        },
      ],
    },
  },
  // Files outside the TypeScript project (CommonJS configs) are linted without type information.
  { files: ['**/*.cjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
);
