import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'server/src/db/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Pure rules import nothing that does I/O.
    files: ['server/src/modules/**/*.rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/*.repository*', '**/*.service*', '**/db/*', 'drizzle-orm*', 'pg', '@electric-sql/*', 'node:fs', 'fs'], message: 'Pure rules must not do I/O.' }] },
      ],
    },
  },
);
