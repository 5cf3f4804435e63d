import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

/** Files larger than this are skipped with a message rather than parsed (generated code, data). */
export const MAX_SOURCE_CHARS = 2_000_000;
/** A parse that takes longer than this is abandoned (pathological input). */
const PARSE_TIMEOUT_MS = 10_000;

let parser: Parser | undefined;

/** One parser per thread: tree-sitter parsers are not shareable across threads. */
function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

/** The tree-sitter language object, for tests that check the node types we rely on. */
export const pythonLanguage = Python;

export class ParseAbortedError extends Error {}

/**
 * Parses Python source. Syntax errors do not throw: tree-sitter recovers and marks the broken
 * regions as ERROR nodes, which the syntax layer reports as a partial parse.
 */
export function parsePython(source: string): Parser.Tree {
  const started = Date.now();
  const tree = getParser().parse(source, undefined, {
    // Reading the whole string in one chunk avoids re-slicing large files.
    bufferSize: Math.max(32 * 1024, source.length + 1),
    progressCallback: () => Date.now() - started > PARSE_TIMEOUT_MS,
  });
  if (!tree) throw new ParseAbortedError(`parsing took longer than ${PARSE_TIMEOUT_MS / 1000}s`);
  return tree;
}
