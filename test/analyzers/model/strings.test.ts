import { describe, expect, it } from 'vitest';
import {
  concatStr,
  decodeEscapes,
  hasLiteralText,
  holeStr,
  literalStr,
  plainStringValue,
  splitStringLiteral,
  strDisplay,
  strKnownText,
  strValue,
} from '../../../src/analyzers/model/strings.js';

describe('decodeEscapes', () => {
  it.each([
    ['no backslash', 'plain text', 'plain text'],
    ['newline and tab', 'a\\nb\\tc', 'a\nb\tc'],
    ['quotes', `it\\'s \\"x\\"`, `it's "x"`],
    ['escaped backslash is not a second escape', 'C:\\\\new', 'C:\\new'],
    ['\\x, \\u and \\U', '\\x41\\u00e9\\U0001F600', 'A\u00e9\u{1F600}'],
    ['bell, backspace, form feed, vertical tab, carriage return', '\\a\\b\\f\\v\\r', '\x07\b\f\v\r'],
    ['a lone \\0 is NUL', 'x\\0', 'x\0'],
    ['backslash-newline continues the line', 'line\\\ncontinued', 'linecontinued'],
    ['unknown escapes stay as written (regex escapes in a non-raw string)', '\\d+\\.\\w', '\\d+\\.\\w'],
    ['malformed \\x and \\u stay as written', '\\xZZ \\u12', '\\xZZ \\u12'],
    ['trailing backslash stays', 'end\\', 'end\\'],
  ])('%s', (_name, body, expected) => {
    expect(decodeEscapes(body)).toBe(expected);
  });
});

describe('splitStringLiteral', () => {
  it.each([
    ['"abc"', { prefix: '', raw: false, format: false, body: 'abc' }],
    ["'abc'", { prefix: '', raw: false, format: false, body: 'abc' }],
    ['"""a "quoted" b"""', { prefix: '', raw: false, format: false, body: 'a "quoted" b' }],
    ["'''it's'''", { prefix: '', raw: false, format: false, body: "it's" }],
    ['r"a\\nb"', { prefix: 'r', raw: true, format: false, body: 'a\\nb' }],
    ['R"x"', { prefix: 'r', raw: true, format: false, body: 'x' }],
    ['b"x"', { prefix: 'b', raw: false, format: false, body: 'x' }],
    ['Rb"x"', { prefix: 'rb', raw: true, format: false, body: 'x' }],
    ['br"x"', { prefix: 'br', raw: true, format: false, body: 'x' }],
    ['u"x"', { prefix: 'u', raw: false, format: false, body: 'x' }],
    ['f"{a}/b"', { prefix: 'f', raw: false, format: true, body: '{a}/b' }],
    ['F"x"', { prefix: 'f', raw: false, format: true, body: 'x' }],
    ['rf"{a}\\n"', { prefix: 'rf', raw: true, format: true, body: '{a}\\n' }],
    ['fR"x"', { prefix: 'fr', raw: true, format: true, body: 'x' }],
    ['""', { prefix: '', raw: false, format: false, body: '' }],
    ["''", { prefix: '', raw: false, format: false, body: '' }],
    ['""""""', { prefix: '', raw: false, format: false, body: '' }],
    ["''''''", { prefix: '', raw: false, format: false, body: '' }],
  ])('%s', (text, expected) => {
    expect(splitStringLiteral(text)).toEqual(expected);
  });

  it.each(['abc', 'x"a"', 'name', '123'])('not a string literal: %s', (text) => {
    expect(splitStringLiteral(text)).toBeUndefined();
  });
});

describe('plainStringValue', () => {
  it.each([
    ['"/mnt/bronze/events"', '/mnt/bronze/events'],
    ["'silver.orders'", 'silver.orders'],
    ['"a\\tb"', 'a\tb'],
    ['r"\\d+\\.csv"', '\\d+\\.csv'],
    ['R"C:\\new"', 'C:\\new'],
    ['u"caf\\u00e9"', 'caf\u00e9'],
    ['b"\\x41"', 'A'],
    ['rb"\\x41"', '\\x41'],
    ['"""\nSELECT *\nFROM silver.orders\n"""', '\nSELECT *\nFROM silver.orders\n'],
    ["'''MERGE INTO gold.kpis t\\\nUSING x'''", 'MERGE INTO gold.kpis tUSING x'],
    ['""', ''],
  ])('%s', (text, expected) => {
    expect(plainStringValue(text)).toBe(expected);
  });

  it.each(['f"/mnt/{env}/x"', 'F"x"', 'rf"{a}"', 'Rf"x"', 'fr"x"', 'not_a_literal'])('no plain value: %s', (text) => {
    expect(plainStringValue(text)).toBeUndefined();
  });
});

describe('Str helpers', () => {
  it('concatStr merges adjacent literal parts across items and drops empty literals', () => {
    const s = concatStr(literalStr('/mnt/'), literalStr(''), holeStr('env'), literalStr('/silver'), literalStr('/events'));
    expect(s.parts).toEqual(['/mnt/', { hole: 'env' }, '/silver/events']);
  });

  it('concatStr merges a literal with the first literal part of a nested Str', () => {
    const inner = concatStr(literalStr('gold/'), holeStr('table'));
    expect(concatStr(literalStr('/mnt/'), inner, literalStr('_v2')).parts).toEqual(['/mnt/gold/', { hole: 'table' }, '_v2']);
  });

  it('concatStr keeps consecutive holes apart', () => {
    expect(concatStr(holeStr('a'), holeStr('b')).parts).toEqual([{ hole: 'a' }, { hole: 'b' }]);
  });

  it('concatStr of nothing or of empty literals is empty', () => {
    expect(concatStr().parts).toEqual([]);
    expect(concatStr(literalStr(''), literalStr('')).parts).toEqual([]);
    expect(strValue(concatStr(literalStr('')))).toBe('');
  });

  it('strValue is defined only when every part is known', () => {
    expect(strValue(concatStr(literalStr('a'), literalStr('b')))).toBe('ab');
    expect(strValue(concatStr(literalStr('a'), holeStr('x')))).toBeUndefined();
    expect(strValue(undefined)).toBeUndefined();
  });

  it('strDisplay shows holes as f-string fields; strKnownText blanks them', () => {
    const s = concatStr(literalStr('/mnt/'), holeStr('env'), literalStr('/silver'));
    expect(strDisplay(s)).toBe('/mnt/{env}/silver');
    expect(strKnownText(s)).toBe('/mnt/ /silver');
    expect(strKnownText(s, '\u0000')).toBe('/mnt/\u0000/silver');
  });

  it('hasLiteralText ignores holes and whitespace', () => {
    expect(hasLiteralText(concatStr(holeStr('q')))).toBe(false);
    expect(hasLiteralText(literalStr('   '))).toBe(false);
    expect(hasLiteralText(concatStr(literalStr(' WHERE '), holeStr('cond')))).toBe(true);
  });
});

describe('decodeEscapes: octal and line continuations', () => {
  it('decodes octal escapes and backslash-newline like Python', async () => {
    const { decodeEscapes } = await import('../../../src/analyzers/model/strings.js');
    expect(decodeEscapes('a\\012b')).toBe('a\nb');
    expect(decodeEscapes('\\101')).toBe('A');
    expect(decodeEscapes('\\0')).toBe('\0');
    expect(decodeEscapes('a\\\r\nb')).toBe('ab');
  });
});
