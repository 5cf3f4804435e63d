import type Parser from 'tree-sitter';

/**
 * A compact, plain-JavaScript copy of the tree-sitter tree.
 *
 * Every property read on a native tree-sitter node crosses into C++ (hundreds of nanoseconds),
 * so the analysis copies the tree once, with one cursor walk, and works on plain objects after
 * that. Only named nodes are kept; comments and line continuations are collected aside, and the
 * operator tokens of operator nodes are kept in `ops`. Positions are UTF-16 offsets into the
 * source string (what node-tree-sitter reports for string input).
 */
export interface PyNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly kids: PyNode[];
  /** Operator tokens (`==`, `and`, `not in`, `+=`...) for operator nodes, in source order. */
  readonly ops: string[] | undefined;
  parent: PyNode | null;
}

export interface Comment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface SyntaxTree {
  readonly source: string;
  readonly root: PyNode;
  readonly comments: Comment[];
  /** ERROR and MISSING regions: the file was only partly parsed when this is not empty. */
  readonly errors: PyNode[];
}

/** Parents whose anonymous tokens carry meaning. */
const OPERATOR_PARENTS = new Set([
  'comparison_operator',
  'boolean_operator',
  'binary_operator',
  'unary_operator',
  'augmented_assignment',
]);

/**
 * Named nodes whose children we never read: tokens without children (skipping the failed
 * descent saves a native call each) and nodes whose text is sliced from the source instead.
 */
const LEAF_TYPES = new Set([
  'identifier',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'ellipsis',
  'string_content',
  'escape_sequence',
  'type_conversion',
  'format_specifier',
  'dotted_name',
  'keyword_identifier',
  'wildcard_import',
]);

interface TypeInfo {
  readonly type: string;
  readonly named: boolean;
  readonly kind: 'keep' | 'comment' | 'drop' | 'leaf';
  readonly hasOps: boolean;
}

/** Node type ids are per grammar; this project loads one grammar, so one table serves. */
const types: TypeInfo[] = [];

function describeType(cursor: Parser.TreeCursor): TypeInfo {
  const type = cursor.nodeType;
  const named = cursor.nodeIsNamed;
  let kind: TypeInfo['kind'] = 'keep';
  if (type === 'comment') kind = 'comment';
  else if (type === 'line_continuation') kind = 'drop';
  // Their children are tokens we never read; the text is sliced from the source instead.
  else if (LEAF_TYPES.has(type)) kind = 'leaf';
  return { type, named, kind, hasOps: OPERATOR_PARENTS.has(type) };
}

/** Whether a `string` node starting at `start` is an f-string (its children hold interpolations). */
function isFormatString(source: string, start: number): boolean {
  for (let i = start; i < start + 3 && i < source.length; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 0x22 || ch === 0x27) return false; // quote: prefix ended
    if (ch === 0x66 || ch === 0x46) return true; // f or F
  }
  return false;
}

export function buildSyntaxTree(tree: Parser.Tree, source: string): SyntaxTree {
  const cursor = tree.walk();
  // MISSING nodes only exist in trees with errors; asking every node costs a native call.
  const checkMissing = tree.rootNode.hasError;
  const root: PyNode = {
    type: cursor.nodeType,
    start: 0,
    end: source.length,
    kids: [],
    ops: undefined,
    parent: null,
  };
  const comments: Comment[] = [];
  const errors: PyNode[] = [];
  const stack: PyNode[] = [root];
  let parent: PyNode = root;

  if (cursor.gotoFirstChild()) {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      let info = types[typeId];
      if (!info) {
        info = describeType(cursor);
        types[typeId] = info;
      }
      let descended = false;
      if (!info.named) {
        if (parent.ops) parent.ops.push(info.type);
        // A token tree-sitter had to invent (`def f(:` lacks a `)`) marks a syntax error too.
        if (checkMissing && cursor.nodeIsMissing) {
          const start = cursor.startIndex;
          errors.push({ type: 'MISSING', start, end: start, kids: [], ops: undefined, parent });
        }
      } else if (info.kind === 'comment') {
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        comments.push({ start, end, text: source.slice(start, end) });
      } else if (info.kind !== 'drop') {
        const start = cursor.startIndex;
        const node: PyNode = {
          type: info.type,
          start,
          end: cursor.endIndex,
          kids: [],
          ops: info.hasOps ? [] : undefined,
          parent,
        };
        parent.kids.push(node);
        if (info.type === 'ERROR' || (checkMissing && cursor.nodeIsMissing)) errors.push(node);
        const descend =
          info.kind === 'keep' && (info.type !== 'string' || isFormatString(source, start));
        if (descend && cursor.gotoFirstChild()) {
          stack.push(node);
          parent = node;
          descended = true;
        }
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        if (stack.length === 1 || !cursor.gotoParent()) {
          return { source, root, comments, errors };
        }
        stack.pop();
        parent = stack[stack.length - 1]!;
      }
    }
  }
  return { source, root, comments, errors };
}

export function textOf(tree: SyntaxTree, node: PyNode): string {
  return tree.source.slice(node.start, node.end);
}
