/**
 * Escaping for text that comes from the analyzed code (table names, expressions) and lands in
 * GitHub Markdown: no @mentions, no HTML, no accidental formatting. Inline code spans stay code.
 */

const ZERO_WIDTH_SPACE = '\u200b';

/** Escapes plain text: Markdown punctuation, HTML, @mentions and #references. */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\*_[\]()#!|~])/g, '\\$1')
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\r?\n/g, ' ');
}

/** An inline code span that holds any text, backticks included. */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/**
 * A finding message as Markdown. Messages mark code with backticks (`silver.orders`); those spans
 * are kept as code, everything else is escaped. An unbalanced backtick makes it all plain text.
 */
export function messageMarkdown(message: string): string {
  const parts = message.split('`');
  if (parts.length % 2 === 0) return escapeText(message);
  return parts.map((part, i) => (i % 2 === 1 ? codeSpan(part) : escapeText(part))).join('');
}

/** A fenced code block whose fence cannot be closed by the content. */
export function codeBlock(info: string, content: string): string {
  const longestRun = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${info}\n${content}\n${fence}`;
}
