// Translation of java.util.regex syntax into an equivalent JavaScript RegExp source.
// API Gateway evaluates selection patterns and VTL `String.replaceAll/matches/split` with Java regular
// expressions; JavaScript agrees on most syntax, and this module rewrites the constructs where the two differ.

export interface TranslatedRegex {
  source: string;
  flags: string;
}

export class UnsupportedJavaRegexError extends Error {}

// Java's \s is ASCII-only ([ \t\n\x0B\f\r]); JavaScript's also matches Unicode spaces.
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";
const JAVA_HORIZONTAL_SPACE = " \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000";
const JAVA_LINEBREAK = "(?:\\r\\n|[\\n\\x0B\\f\\r\\u0085\\u2028\\u2029])";

// POSIX character classes as Java spells them (\p{Lower}, …): US-ASCII only.
const POSIX_CLASSES: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: JAVA_SPACE,
  javaWhitespace: JAVA_SPACE,
};

// Input boundaries that, unlike ^ and $, keep their meaning under the m flag.
const INPUT_START = "(?<![\\s\\S])";
const INPUT_END = "(?![\\s\\S])";

// Unicode categories and binary properties (\p{L}, \p{IsAlphabetic}, …): JavaScript has them in "u" mode.
const UNICODE_PROPERTIES: Record<string, string> = {
  L: "L",
  Lu: "Lu",
  Ll: "Ll",
  Lt: "Lt",
  Lm: "Lm",
  Lo: "Lo",
  M: "M",
  N: "N",
  Nd: "Nd",
  P: "P",
  S: "S",
  Z: "Z",
  IsL: "L",
  IsLetter: "L",
  IsAlphabetic: "Alphabetic",
  IsDigit: "Nd",
  IsUppercase: "Uppercase",
  IsLowercase: "Lowercase",
  IsWhite_Space: "White_Space",
  IsWhiteSpace: "White_Space",
  javaLowerCase: "Lowercase",
  javaUpperCase: "Uppercase",
};

const FLAG_LETTERS = /^[idmsuxU]+$/;

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** Reads the embedded flag groups `(?is)` Java allows; JavaScript only has pattern-wide flags, so they apply to the whole pattern. */
function readEmbeddedFlags(pattern: string, flags: Set<string>): string {
  return pattern.replace(/\(\?([a-zA-Z]+)\)/g, (whole, letters: string, offset: number) => {
    if (!FLAG_LETTERS.test(letters) || isEscapedAt(pattern, offset)) return whole;
    for (const letter of letters) flags.add(letter);
    return "";
  });
}

function isEscapedAt(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Translates a Java regular expression; throws UnsupportedJavaRegexError for constructs without a JavaScript equivalent. */
export function translateJavaRegex(pattern: string): TranslatedRegex {
  const flags = new Set<string>();
  const body = readEmbeddedFlags(pattern, flags);
  const comments = flags.has("x");
  let out = "";
  let inClass = false;
  let previousWasQuantifier = false;
  let unicode = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    let quantifier = false;
    if (c === "\\") {
      const next = body[i + 1];
      if (next === undefined) throw new UnsupportedJavaRegexError("trailing backslash");
      if (next === "Q") {
        const end = body.indexOf("\\E", i + 2);
        const literal = end === -1 ? body.slice(i + 2) : body.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end === -1 ? body.length : end + 1;
      } else if (next === "p" || next === "P") {
        const match = /^\{([A-Za-z_]+)\}/.exec(body.slice(i + 2));
        const name = match?.[1];
        const unicodeName = name === undefined ? undefined : UNICODE_PROPERTIES[name];
        const set = name === undefined ? undefined : (POSIX_CLASSES[name] ?? POSIX_CLASSES[name.replace(/^Is/, "")]);
        if (match === null || (set === undefined && unicodeName === undefined)) {
          throw new UnsupportedJavaRegexError(`unsupported class \\${next}${match?.[0] ?? ""}`);
        }
        if (unicodeName !== undefined) {
          unicode = true;
          out += `\\${next}{${unicodeName}}`;
        } else {
          if (next === "P" && inClass) throw new UnsupportedJavaRegexError("negated property class inside a character class");
          out += inClass ? set : `[${next === "P" ? "^" : ""}${set}]`;
        }
        i += 1 + match[0].length;
      } else {
        out += translateEscape(next, inClass);
        i += 1;
      }
    } else if (inClass) {
      if (c === "[") throw new UnsupportedJavaRegexError("nested character classes");
      if (c === "&" && body[i + 1] === "&") throw new UnsupportedJavaRegexError("character class intersection");
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      // A "]" right after "[" or "[^" is a literal in Java but closes an empty class in JavaScript.
      if (body[i + 1] === "^") {
        out += "^";
        i += 1;
      }
      if (body[i + 1] === "]") {
        out += "\\]";
        i += 1;
      }
    } else if (comments && /\s/.test(c)) {
      continue;
    } else if (comments && c === "#") {
      while (i < body.length && body[i] !== "\n") i++;
      continue;
    } else if (c === "+" && previousWasQuantifier) {
      // Possessive quantifier (X*+): JavaScript has none; the greedy form matches the same whole strings in practice.
      continue;
    } else if (c === "(" && body.startsWith("(?>", i)) {
      out += "(?:";
      i += 2;
    } else if (c === "(" && /^\(\?[a-zA-Z-]+:/.test(body.slice(i))) {
      // Scoped flags (?i:X): JavaScript (Node 20) lacks them, so the flags apply to the whole pattern.
      const close = body.indexOf(":", i);
      for (const letter of body.slice(i + 2, close)) if (letter !== "-") flags.add(letter);
      out += "(?:";
      i = close;
    } else {
      quantifier = c === "*" || c === "+" || c === "?" || c === "}";
      out += c;
    }
    previousWasQuantifier = quantifier;
  }
  if (inClass) throw new UnsupportedJavaRegexError("unterminated character class");
  let jsFlags = "";
  if (flags.has("i")) jsFlags += "i";
  if (flags.has("m")) jsFlags += "m";
  if (flags.has("s")) jsFlags += "s";
  // Unicode properties need JavaScript's "u" mode, which is stricter about escapes than Java; the RegExp
  // constructor then reports the patterns it cannot take.
  if (unicode) jsFlags += "u";
  return { source: out, flags: jsFlags };
}

function translateEscape(next: string, inClass: boolean): string {
  switch (next) {
    case "A":
      return INPUT_START;
    case "z":
      return INPUT_END;
    case "Z":
      return `(?=\\n?${INPUT_END})`;
    case "h":
      return inClass ? JAVA_HORIZONTAL_SPACE : `[${JAVA_HORIZONTAL_SPACE}]`;
    case "H":
      return `[^${JAVA_HORIZONTAL_SPACE}]`;
    case "s":
      return inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
    case "S":
      return inClass ? "\\S" : `[^${JAVA_SPACE}]`;
    case "R":
      return JAVA_LINEBREAK;
    case "e":
      return "\\x1B";
    case "a":
      return "\\x07";
    case "G":
      throw new UnsupportedJavaRegexError("\\G is not supported");
    default:
      return `\\${next}`;
  }
}

/** Compiles a Java regular expression into a JavaScript RegExp (extra flags such as "g" may be added). */
export function compileJavaRegex(pattern: string, extraFlags = ""): RegExp {
  const { source, flags } = translateJavaRegex(pattern);
  return new RegExp(source, flags + extraFlags);
}
