/** Product identity. test/meta.test.ts keeps these equal to package.json. */
export const PRODUCT_NAME = 'pipeline-architect';
export const VERSION = '0.1.0';
export const REPOSITORY_URL = 'https://github.com/pipeline-architect/pipeline-architect';
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/docs/rules`;

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}/${id}.md`;
}
