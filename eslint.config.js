import fs from 'node:fs';
import tseslint from 'typescript-eslint';

/**
 * Boundaries the build enforces (docs/architecture.md, "Boundaries"): per module, generated in a
 * loop over server/src/modules, one block per kind of file, so that every file gets exactly one
 * list of restricted imports (a later block replaces an earlier block's list; they never merge).
 *
 * - A module imports no other module's repository and no other module's table file
 *   (`db/schema/<module>.js`); every module may read the shared reference tables
 *   `db/schema/regions.js` (regions) and `db/schema/households.js` (households).
 * - Routes import no repository, nothing under `db/` and not drizzle-orm: they call one service.
 * - A repository imports its tables from its own schema file, never from `db/schema/index.js`.
 * - Only a module's own service layer (`*.service.ts` and the `*.context.ts` / `*.views.ts` helpers its
 *   use-case services share) imports its repository.
 * - Pure rules (`*.rules.ts`) import nothing that does I/O.
 * - The web console imports nothing from server/ (only its generated API types, under web/src).
 * Exempt: the `invariants` module (it checks rules across every table by design), server/src/ops
 * (backup, restore, verify) and server/src/seed (the demo city), which read and write across modules.
 */
const MODULES_DIR = 'server/src/modules';
/** Modules whose purpose is to read across every table. */
const CROSS_MODULE = new Set(['invariants']);
/** Reference tables every module may read: regions and households. */
const SHARED_TABLES = ['regions', 'households'];
const modules = fs
  .readdirSync(MODULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !CROSS_MODULE.has(d.name))
  .map((d) => d.name)
  .sort();

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const restricted = (...patterns) => ['error', { patterns }];

const otherRepository = (m) => ({
  regex: `^\\.\\./(?!${escape(m)}/)[^/]+/.*\\.repository(\\.js)?$`,
  message: `A module imports no other module's repository: ask that module's service (passed to the constructor in services.ts).`,
});
const otherTables = (m) => ({
  regex: `(^|/)db/schema/(?!(${[m, ...SHARED_TABLES].map(escape).join('|')})\\.js$)[^/]+$`,
  message: `A module imports only its own tables (db/schema/${m}.js) and the reference tables regions.js and households.js; db/schema/index.js is for drizzle and migrations.`,
});
const ownRepositoryOutsideServices = {
  regex: `^\\./[^/]*\\.repository(\\.js)?$`,
  message: "Only the module's own services import its repository.",
};
const routesReachingData = [
  { regex: '\\.repository(\\.js)?$', message: 'Routes call one service; they never reach a repository.' },
  { regex: '(^|/)db/', message: 'Routes call one service; they never reach the database.' },
  { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Routes call one service; they never build SQL.' },
];
const schemaIndexInRepository = {
  regex: '(^|/)db/schema(/index(\\.js)?)?$',
  message: 'A repository imports its tables from its own schema file (db/schema/<module>.js), never from db/schema/index.js.',
};
const pureRules = {
  group: ['**/*.repository*', '**/*.service*', '**/db/*', '**/db/schema/*', 'drizzle-orm*', 'pg', '@electric-sql/*', 'node:fs', 'fs'],
  message: 'Pure rules must not do I/O.',
  allowTypeImports: true,
};

const TESTS = ['**/*.test.ts'];
const boundaryBlocks = modules.flatMap((m) => {
  const dir = `${MODULES_DIR}/${m}`;
  const base = [otherRepository(m), otherTables(m)];
  const kinds = {
    routes: `${dir}/**/*.routes.ts`,
    repository: `${dir}/**/*.repository.ts`,
    rules: `${dir}/**/*.rules.ts`,
    // The service layer: use-case services and the module-internal context and view helpers they share.
    service: [`${dir}/**/*.service.ts`, `${dir}/**/*.context.ts`, `${dir}/**/*.views.ts`],
  };
  return [
    {
      files: [kinds.routes],
      ignores: TESTS,
      rules: { '@typescript-eslint/no-restricted-imports': restricted(...base, ...routesReachingData) },
    },
    {
      files: [kinds.repository],
      ignores: TESTS,
      rules: { '@typescript-eslint/no-restricted-imports': restricted(...base, schemaIndexInRepository) },
    },
    { files: [kinds.rules], ignores: TESTS, rules: { '@typescript-eslint/no-restricted-imports': restricted(...base, pureRules) } },
    { files: kinds.service, ignores: TESTS, rules: { '@typescript-eslint/no-restricted-imports': restricted(...base) } },
    {
      files: [`${dir}/**/*.ts`],
      ignores: [...TESTS, ...Object.values(kinds).flat()],
      rules: { '@typescript-eslint/no-restricted-imports': restricted(...base, ownRepositoryOutsideServices) },
    },
  ];
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'server/src/db/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Pure rules import nothing that does I/O (also in the exempt modules).
    files: ['server/src/modules/**/*.rules.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(pureRules) },
  },
  ...boundaryBlocks,
  {
    // The console talks to the API over HTTP; its types come from the generated API types under web/src.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restricted({
        regex: '(^|/)server/',
        message: 'web/src imports nothing from server/: use the generated API types (web/src/api).',
      }),
    },
  },
  {
    // Size warnings: a file over 400 lines or a function over 80 asks to be split (by use case, by rule).
    files: ['server/src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx'],
    ignores: TESTS,
    rules: {
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
