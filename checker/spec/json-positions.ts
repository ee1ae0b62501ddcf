// Stage "load", part 1: a JSON parser that keeps where every value starts, keyed by JSON pointer,
// so schema errors (ajv's instancePath), shorthand steps and expression tokens map back to FILE:LINE:COL.

export interface Span {
  line: number; // 1-based
  col: number; // 1-based
  offset: number; // 0-based character offset
  /** For string values: offset of the first character inside the quotes, and whether escapes occur. */
  rawString?: { contentOffset: number; hasEscapes: boolean };
}

export interface PositionedJson {
  value: unknown;
  /** JSON pointer -> span of the value (and, with suffix "#key", of the member's key). */
  spans: Map<string, Span>;
  lineStarts: number[];
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    public line: number,
    public col: number,
  ) {
    super(message);
  }
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseJsonWithPositions(text: string): PositionedJson {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const spans = new Map<string, Span>();
  let i = 0;

  const posOf = (offset: number): { line: number; col: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
  };
  const fail = (msg: string, at = i): never => {
    const p = posOf(Math.min(at, text.length));
    throw new JsonSyntaxError(msg, p.line, p.col);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  // Errors never quote the text: the file may not be meant for lockcheck at all (an import of a secret, say).
  // The position says where; what is found there is named only when it is the end of the file.
  const found = (at: number) => (at >= text.length ? ', found end of file' : '');
  const span = (offset: number): Span => ({ ...posOf(offset), offset });

  const parseString = (): { value: string; contentOffset: number; hasEscapes: boolean } => {
    const start = i;
    i++; // opening quote
    let out = '';
    let hasEscapes = false;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i];
      if (c === '"') {
        i++;
        return { value: out, contentOffset: start + 1, hasEscapes };
      }
      if (c === '\\') {
        hasEscapes = true;
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in map) {
          out += map[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else fail('bad escape in string');
      } else {
        if (c.charCodeAt(0) < 0x20) fail('control character in string (escape it, e.g. \\n)');
        // copy the run of plain characters at once: one += per character is quadratic-ish on 10 MB strings
        let j = i + 1;
        while (j < text.length) {
          const d = text.charCodeAt(j);
          if (d === 34 || d === 92 || d < 0x20) break;
          j++;
        }
        out += text.slice(i, j);
        i = j;
      }
    }
  };

  const parseValue = (pointer: string, depth: number): unknown => {
    if (depth > 200) fail('nesting deeper than 200 levels');
    ws();
    const start = i;
    const c = text[i];
    const sp = span(start);
    spans.set(pointer, sp);
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null);
      ws();
      if (text[i] === '}') {
        i++;
        return { ...obj };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted member name${found(i)}`);
        const keyStart = i;
        const key = parseString().value;
        const childPtr = `${pointer}/${escapePointer(key)}`;
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          const first = spans.get(`${childPtr}#key`)!;
          fail(`duplicate member name (first at line ${first.line}, column ${first.col})`, keyStart);
        }
        spans.set(`${childPtr}#key`, span(keyStart));
        ws();
        if (text[i] !== ':') fail(`expected ':' after member name${found(i)}`);
        i++;
        obj[key] = parseValue(childPtr, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { ...obj };
        }
        fail(`expected ',' or '}'${found(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(`${pointer}/${arr.length}`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected ',' or ']'${found(i)}`);
      }
    }
    if (c === '"') {
      const s = parseString();
      sp.rawString = { contentOffset: s.contentOffset, hasEscapes: s.hasEscapes };
      return s.value;
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [lit, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    return fail(`expected a value${found(i)}`);
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  const value = parseValue('', 0);
  ws();
  if (i < text.length) fail('unexpected text after the end of the JSON value');
  return { value, spans, lineStarts };
}

/** Position of a character inside a string value (for shorthand steps and expression tokens). */
export function positionInString(doc: PositionedJson, pointer: string, index: number): { line: number; col: number } {
  const sp = doc.spans.get(pointer);
  if (!sp) return { line: 1, col: 1 };
  if (!sp.rawString || sp.rawString.hasEscapes) return { line: sp.line, col: sp.col };
  const offset = sp.rawString.contentOffset + index;
  let line = sp.line;
  while (line < doc.lineStarts.length && doc.lineStarts[line] <= offset) line++;
  return { line, col: offset - doc.lineStarts[line - 1] + 1 };
}

/** The span of the nearest enclosing value that has one (ajv may point at a missing member). */
export function nearestSpan(doc: PositionedJson, pointer: string): Span {
  let p = pointer;
  for (;;) {
    const sp = doc.spans.get(p);
    if (sp) return sp;
    if (p === '') return { line: 1, col: 1, offset: 0 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
