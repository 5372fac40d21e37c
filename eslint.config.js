// Lint: typescript-eslint's strict, type-aware rules over every TypeScript source, test and benchmark,
// run by `npm test` (npm run lint). Formatting is prettier's job (.prettierrc.json), checked there too.
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
      // Numeric kernels index typed arrays and shapes by position; `!` there states an invariant the
      // loop bounds guarantee (the tree is compiled without noUncheckedIndexedAccess).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Messages interpolate numbers, booleans and shapes (number arrays); objects and unknowns stay refused.
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
      // Tokenizers and their tests split text by code point on purpose (`[...text]`), which is what
      // this rule warns about; graphemes are not the unit here.
      '@typescript-eslint/no-misused-spread': 'off',
      // Off: the tree is compiled without noUncheckedIndexedAccess, so this rule calls every guard of a
      // record or array lookup (`const t = weights[name]; if (!t) throw ...`) unnecessary, and the guards
      // of values that come from users' JavaScript (plugins, JSON) with them. Those guards stay.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // Fastify's route handlers: an async handler's return value is the reply's body, so a handler that
    // awaits nothing is still async; and a FastifyReply is thenable, so `return reply.send(...)` in a try
    // block must not be awaited (that would wait for the response to be written).
    files: ['core/serve/src/routes/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off', '@typescript-eslint/return-await': 'off' },
  },
  {
    // Tests edit parsed JSON (specs, responses) freely; `any` stays refused in the packages and benchmarks.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // This test speaks to the server as deployed OpenAI clients do, with the fields the SDK's types now
    // mark deprecated (max_tokens, seed, user): the server supports them, so the test must send them.
    files: ['test/serve/openai-client.test.ts'],
    rules: { '@typescript-eslint/no-deprecated': 'off' },
  },
);
