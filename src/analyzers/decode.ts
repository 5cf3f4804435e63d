import { MAX_SOURCE_CHARS } from './parse.js';

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** PEP 263: `# -*- coding: latin-1 -*-` on one of the first two lines. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Python codec names (PEP 263) to the WHATWG labels TextDecoder knows. */
function whatwgEncoding(pythonName: string): string {
  const name = pythonName.toLowerCase().replace(/_/g, '-');
  if (/^(?:utf-?8(?:-sig)?)$/.test(name)) return 'utf-8';
  if (/^(?:latin-?1|l1|iso-?8859-1|8859|cp819|latin)$/.test(name)) return 'iso-8859-1';
  const cp = /^(?:cp|windows-)(125\d)$/.exec(name);
  if (cp) return `windows-${cp[1]}`;
  const iso = /^iso-?8859-(\d+)$/.exec(name);
  if (iso) return `iso-8859-${iso[1]}`;
  return name;
}

function formatSize(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : `${Math.round(n / 1000)} KB`;
}

const TOO_LARGE = (size: number): string =>
  `file is ${formatSize(size)}; files over ${formatSize(MAX_SOURCE_CHARS)} are not analyzed (generated code or data?)`;

/**
 * Python ends lines at a lone `\r` (old Mac files) but the parser does not. Each lone `\r` becomes
 * `\n`, one character for one, so offsets and columns stay those of the original text.
 */
function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Turns file content into text, or says why it cannot be analyzed: binary data, oversized,
 * or bytes that are not valid in the file's encoding (UTF-8 unless a coding comment says otherwise).
 */
export function decodeSource(content: string | Uint8Array): Decoded {
  if (typeof content === 'string') {
    if (content.length > MAX_SOURCE_CHARS) return { ok: false, reason: TOO_LARGE(content.length) };
    if (content.slice(0, 8000).includes('\0')) return { ok: false, reason: 'binary file (contains NUL bytes)' };
    return { ok: true, text: normalizeLineEnds(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content) };
  }
  if (content.length > MAX_SOURCE_CHARS) return { ok: false, reason: TOO_LARGE(content.length) };
  if (content.subarray(0, 8000).includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let encoding = 'utf-8';
  let bytes = content;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
  } else {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 400)).split(/\r?\n/, 2);
    for (const line of head) {
      const m = CODING.exec(line);
      if (m) {
        encoding = whatwgEncoding(m[1]!);
        break;
      }
    }
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return { ok: false, reason: `unknown encoding "${encoding}" declared in the coding comment` };
  }
  try {
    return { ok: true, text: normalizeLineEnds(decoder.decode(bytes)) };
  } catch {
    return {
      ok: false,
      reason:
        encoding === 'utf-8'
          ? 'not valid UTF-8 (save it as UTF-8 or declare its encoding with a "# -*- coding: ... -*-" comment)'
          : `not valid ${encoding}, the encoding its coding comment declares`,
    };
  }
}
