import type { PyNode } from '../syntax.js';

/**
 * Field access on the compact tree. tree-sitter-python's fields sit at fixed positions among the
 * named children (checked by test/analyzers/syntax.test.ts), so these are plain index reads.
 */

export function callFunction(call: PyNode): PyNode | undefined {
  return call.kids[0];
}

export function callArgs(call: PyNode): PyNode | undefined {
  return call.kids[1];
}

/** For `a.b.method(...)`: the attribute node `a.b.method`, else undefined. */
export function calledAttribute(call: PyNode): PyNode | undefined {
  const fn = call.kids[0];
  return fn?.type === 'attribute' ? fn : undefined;
}

export function attributeObject(attr: PyNode): PyNode | undefined {
  return attr.kids[0];
}

export function attributeName(attr: PyNode): PyNode | undefined {
  return attr.kids[attr.kids.length - 1];
}

export function assignmentParts(node: PyNode): { left: PyNode | undefined; type: PyNode | undefined; right: PyNode | undefined } {
  const [left, second, third] = node.kids;
  if (second?.type === 'type') return { left, type: second, right: third };
  return { left, type: undefined, right: second };
}

/** Skips parentheses: `((x))` -> `x`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.kids.length === 1) n = n.kids[0]!;
  return n;
}

/** The block that is a compound statement's body (always its last named child). */
export function lastBlock(node: PyNode): PyNode | undefined {
  for (let i = node.kids.length - 1; i >= 0; i--) {
    const kid = node.kids[i]!;
    if (kid.type === 'block') return kid;
  }
  return undefined;
}

/** Walks up to the statement containing `node`. */
export function enclosingStatement(node: PyNode): PyNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function contains(outer: { start: number; end: number }, inner: { start: number; end: number }): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Depth-first iteration over a subtree, not entering nested function or class bodies. */
export function* descendants(node: PyNode, enterScopes = false): Generator<PyNode> {
  const stack: PyNode[] = [...node.kids].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    if (!enterScopes && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) continue;
    for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]!);
  }
}

/** From the method name to the end of the call: `save(path)` in `df.write.save(path)`. */
export function methodSpan(call: PyNode): { start: number; end: number } {
  const fn = call.kids[0];
  if (call.type === 'call' && fn?.type === 'attribute') {
    const name = attributeName(fn);
    if (name) return { start: name.start, end: call.end };
  }
  return { start: call.start, end: call.end };
}

/** The name a method chain starts from: `df` in `df.write.mode("x").save(p)`. */
export function chainBase(node: PyNode): PyNode | undefined {
  let n: PyNode | undefined = node;
  while (n && (n.type === 'call' || n.type === 'attribute' || n.type === 'parenthesized_expression' || n.type === 'subscript')) n = n.kids[0];
  return n?.type === 'identifier' ? n : undefined;
}
