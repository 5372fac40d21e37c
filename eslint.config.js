// Lint: typescript-eslint's strict, type-aware rules (floating promises, misused promises, unsafe
// `any`) over every TypeScript source, test and benchmark. Formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'test/fixtures/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numeric kernels index typed arrays and shapes by position; `!` there states an invariant
      // the loop bounds already guarantee, and the unnecessary ones are caught by the rule below.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Messages interpolate numbers and booleans all the time; objects and unknowns stay refused.
      // Shapes (number arrays) are printed in messages the same way.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowArray: true },
      ],
      // A leading underscore marks a value taken out on purpose (rest destructuring that drops keys,
      // a positional parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Rethrowing or passing on a caught `unknown` unchanged is allowed; a new throw must be an Error.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true, allowThrowingAny: false }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Tokenizers and their tests split text by code point on purpose (`[...text]`), which is
      // what this rule warns about; graphemes are not the unit here.
      '@typescript-eslint/no-misused-spread': 'off',
    },
  },
);
