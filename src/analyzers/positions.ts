/** Offsets (UTF-16 code units) to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line of an offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: offset - this.starts[line - 1]! + 1 };
  }

  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.source.length;
  }

  /** End of the line's text, before its newline. */
  lineEnd(line: number): number {
    const next = this.starts[line];
    if (next === undefined) return this.source.length;
    return this.source[next - 2] === '\r' ? next - 2 : next - 1;
  }

  lineText(line: number): string {
    return this.source.slice(this.lineStart(line), this.lineEnd(line));
  }
}
