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
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*.repository*', '**/*.service*', '**/db/*', '**/db/schema/*', 'drizzle-orm*', 'pg', '@electric-sql/*', 'node:fs', 'fs'],
              message: 'Pure rules must not do I/O.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
