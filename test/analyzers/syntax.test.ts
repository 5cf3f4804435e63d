import type Parser from 'tree-sitter';
import { describe, expect, it } from 'vitest';
import { assignmentParts, attributeName, attributeObject, callArgs, callFunction } from '../../src/analyzers/model/nodes.js';
import { parsePython, pythonLanguage } from '../../src/analyzers/parse.js';
import { buildSyntaxTree, type PyNode } from '../../src/analyzers/syntax.js';

/** Node types the model and rules switch on. If the grammar renames one, this fails. */
const NODE_TYPES = [
  'ERROR', 'aliased_import', 'argument_list', 'as_pattern', 'assert_statement', 'assignment',
  'attribute', 'augmented_assignment', 'await', 'binary_operator', 'block', 'boolean_operator', 'break_statement',
  'call', 'case_clause', 'class_definition', 'comment', 'comparison_operator', 'concatenated_string',
  'conditional_expression', 'continue_statement', 'decorated_definition', 'decorator', 'default_parameter',
  'delete_statement', 'dictionary', 'dictionary_comprehension', 'dictionary_splat', 'dictionary_splat_pattern',
  'dotted_name', 'elif_clause', 'ellipsis', 'else_clause', 'escape_sequence', 'except_clause',
  'expression_list', 'expression_statement', 'false', 'finally_clause', 'float', 'for_in_clause', 'for_statement',
  'function_definition', 'future_import_statement', 'generator_expression', 'identifier', 'if_clause', 'if_statement',
  'import_from_statement', 'import_statement', 'integer', 'interpolation', 'keyword_argument', 'lambda',
  'lambda_parameters', 'line_continuation', 'list', 'list_comprehension', 'list_pattern', 'list_splat',
  'list_splat_pattern', 'match_statement', 'module', 'named_expression', 'none', 'not_operator', 'pair', 'parameters',
  'parenthesized_expression', 'pass_statement', 'pattern_list', 'raise_statement', 'return_statement', 'set',
  'set_comprehension', 'string', 'string_content', 'subscript', 'true', 'try_statement', 'tuple', 'tuple_pattern',
  'type', 'typed_default_parameter', 'typed_parameter', 'while_statement', 'wildcard_import', 'with_clause',
  'with_item', 'with_statement', 'unary_operator', 'format_specifier', 'type_conversion',
];

function find(node: PyNode, type: string): PyNode[] {
  const out: PyNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === type) out.push(n);
    stack.push(...n.kids);
  }
  return out;
}

/** Native nodes of a type, except inside dotted names (the copy keeps those as one leaf). */
function nativeFind(node: Parser.SyntaxNode, type: string): Parser.SyntaxNode[] {
  return node.descendantsOfType(type).filter((n) => n.parent?.type !== 'dotted_name');
}

const SAMPLE = `
import os
from pyspark.sql import functions as F
x: int = 5
df = (spark.read  # a comment inside the chain
      .format("json")
      .load(f"/mnt/{x!r:>10}/raw"))
df.write.mode("append").saveAsTable("bronze.t")
y = a = b
if df.count() == 0 and not x or y is not None:
    pass
z = obj.attr.method(1, key=2, *rest, **kw)
`;

describe('syntax copy', () => {
  it('knows every node type the analysis relies on', () => {
    const named = new Set(pythonLanguage.nodeTypeInfo.filter((t) => t.named).map((t) => t.type));
    named.add('ERROR');
    expect(NODE_TYPES.filter((t) => !named.has(t))).toEqual([]);
  });

  it('keeps named nodes with the same ranges as tree-sitter, minus comments and continuations', () => {
    const tree = parsePython(SAMPLE);
    const copy = buildSyntaxTree(tree, SAMPLE);
    for (const type of ['call', 'attribute', 'string', 'identifier', 'assignment', 'comparison_operator']) {
      expect(find(copy.root, type).map((n) => [n.start, n.end]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!), type).toEqual(
        nativeFind(tree.rootNode, type).map((n) => [n.startIndex, n.endIndex]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
      );
    }
    expect(copy.comments.map((c) => c.text)).toEqual(['# a comment inside the chain']);
    expect(find(copy.root, 'comment')).toEqual([]);
  });

  it('reads fields at the positions the grammar puts them', () => {
    const tree = parsePython(SAMPLE);
    const copy = buildSyntaxTree(tree, SAMPLE);
    const text = (n: PyNode | undefined) => (n ? SAMPLE.slice(n.start, n.end) : undefined);
    const nativeCalls = nativeFind(tree.rootNode, 'call');
    const calls = find(copy.root, 'call').sort((a, b) => a.start - b.start || a.end - b.end);
    nativeCalls.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex);
    calls.forEach((call, i) => {
      expect(text(callFunction(call))).toBe(nativeCalls[i]!.childForFieldName('function')!.text);
      expect(text(callArgs(call))).toBe(nativeCalls[i]!.childForFieldName('arguments')!.text);
    });
    for (const attr of nativeFind(tree.rootNode, 'attribute')) {
      const mine = find(copy.root, 'attribute').find((a) => a.start === attr.startIndex && a.end === attr.endIndex)!;
      expect(text(attributeObject(mine))).toBe(attr.childForFieldName('object')!.text);
      expect(text(attributeName(mine))).toBe(attr.childForFieldName('attribute')!.text);
    }
    for (const assign of nativeFind(tree.rootNode, 'assignment')) {
      const mine = find(copy.root, 'assignment').find((a) => a.start === assign.startIndex && a.end === assign.endIndex)!;
      const parts = assignmentParts(mine);
      expect(text(parts.left)).toBe(assign.childForFieldName('left')!.text);
      expect(text(parts.right)).toBe(assign.childForFieldName('right')?.text);
      expect(text(parts.type)).toBe(assign.childForFieldName('type')?.text);
    }
  });

  it('keeps operator tokens and parent links', () => {
    const copy = buildSyntaxTree(parsePython(SAMPLE), SAMPLE);
    expect(find(copy.root, 'comparison_operator').map((n) => n.ops)).toEqual([['is not'], ['==']]);
    expect(find(copy.root, 'boolean_operator').map((n) => n.ops).sort()).toEqual([['and'], ['or']]);
    const call = find(copy.root, 'call')[0]!;
    expect(call.parent?.kids).toContain(call);
  });

  it('collects syntax errors, including missing tokens', () => {
    const src = 'def f(:\n    pass\nx = (1,\n';
    const copy = buildSyntaxTree(parsePython(src), src);
    expect(copy.errors.length).toBeGreaterThan(0);
  });

  it('measures positions in UTF-16 code units', () => {
    const src = 'x = "héllo 🚀"\ny = spark\n';
    const copy = buildSyntaxTree(parsePython(src), src);
    const ids = find(copy.root, 'identifier').map((n) => src.slice(n.start, n.end));
    expect(ids.sort()).toEqual(['spark', 'x', 'y']);
  });
});
