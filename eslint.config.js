// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Analysis and formatting are pure: only src/github talks to GitHub (DESIGN.md, "Layout").
    files: ['src/analyzers/**/*.ts', 'src/formatters/**/*.ts', 'src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['probot', 'probot/*', '@octokit/*', 'octokit'], message: 'Only src/github may talk to GitHub.' },
            { group: ['**/github/**', '**/queue/**', '**/cli.js'], message: 'Imports point inward: github -> queue -> analyzers/formatters -> config.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/analyzers/**/*.ts'],
    ignores: ['src/analyzers/parse.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:fs', message: 'analyze() is pure: no I/O.' },
            { name: 'fs', message: 'analyze() is pure: no I/O.' },
            { name: 'node:child_process', message: 'analyze() is pure: no I/O.' },
          ],
          patterns: [
            { group: ['probot', 'probot/*', '@octokit/*', 'octokit'], message: 'Only src/github may talk to GitHub.' },
            { group: ['**/github/**', '**/queue/**', '**/formatters/**', '**/cli.js'], message: 'Imports point inward: analyzers know nothing of formatters, queue or GitHub.' },
          ],
        },
      ],
    },
  },
);
