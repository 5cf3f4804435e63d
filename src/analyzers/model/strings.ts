/**
 * Constant strings with holes: the value of `"/mnt/silver/" + name` is known up to `name`.
 * Layer inference and SQL classification read the literal parts even when holes remain.
 */
export type StrPart = string | { readonly hole: string };

export interface Str {
  readonly parts: readonly StrPart[];
}

export function literalStr(text: string): Str {
  return { parts: [text] };
}

export function holeStr(sourceText: string): Str {
  return { parts: [{ hole: sourceText }] };
}

export function concatStr(...items: Str[]): Str {
  const parts: StrPart[] = [];
  for (const item of items) {
    for (const part of item.parts) {
      const last = parts[parts.length - 1];
      if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
      else if (part !== '') parts.push(part);
    }
  }
  return { parts };
}

/** The full value when every part is known. */
export function strValue(s: Str | undefined): string | undefined {
  if (!s) return undefined;
  let out = '';
  for (const part of s.parts) {
    if (typeof part !== 'string') return undefined;
    out += part;
  }
  return out;
}

/** For messages: holes are shown as `{expression}`, as in an f-string. */
export function strDisplay(s: Str): string {
  return s.parts.map((p) => (typeof p === 'string' ? p : `{${p.hole}}`)).join('');
}

/** The known parts, with holes as a separator that no keyword or SQL token can cross. */
export function strKnownText(s: Str, holeMarker = ' '): string {
  return s.parts.map((p) => (typeof p === 'string' ? p : holeMarker)).join('');
}

export function hasLiteralText(s: Str): boolean {
  return s.parts.some((p) => typeof p === 'string' && p.trim() !== '');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/** Decodes the escapes of a non-raw Python string body. Unknown escapes stay as written. */
export function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r\n|[\\'"ntrabfv\n])/g, (_m, esc: string) => {
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (esc === '\r\n') return '';
    if (/^[0-7]/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8));
    const code = Number.parseInt(esc.slice(1), 16);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : esc;
  });
}

export interface StringLiteralShape {
  readonly prefix: string;
  readonly raw: boolean;
  readonly format: boolean;
  /** The text between the quotes, undecoded. */
  readonly body: string;
}

/** Splits a Python string literal's source text into prefix, quotes and body. */
export function splitStringLiteral(text: string): StringLiteralShape | undefined {
  const match = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!match) return undefined;
  const prefix = match[1]!.toLowerCase();
  const quote = match[2]!;
  const bodyStart = match[0].length;
  const bodyEnd = text.endsWith(quote) && text.length >= bodyStart + quote.length ? text.length - quote.length : text.length;
  return {
    prefix,
    raw: prefix.includes('r'),
    format: prefix.includes('f'),
    body: text.slice(bodyStart, bodyEnd),
  };
}

/** The value of a plain (non-f) string literal. */
export function plainStringValue(text: string): string | undefined {
  const shape = splitStringLiteral(text);
  if (!shape || shape.format) return undefined;
  return shape.raw ? shape.body : decodeEscapes(shape.body);
}
