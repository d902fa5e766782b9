// `$util` of API Gateway mapping templates (§12.2).

import { toJavaString, type VtlHostObject } from "./vtl-values.js";

export class VtlUtilError extends Error {}

function hex(code: number): string {
  return code.toString(16).toUpperCase();
}

/**
 * Apache Commons Lang `StringEscapeUtils.escapeJavaScript`, which API Gateway uses: `'` becomes `\'` and `/`
 * becomes `\/` (both unlike JSON), control characters use their short escapes or `\u00XX`, and every
 * non-ASCII UTF-16 unit becomes `\uXXXX` (upper-case hex).
 */
export function escapeJavaScript(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0xfff) out += `\\u${hex(code)}`;
    else if (code > 0xff) out += `\\u0${hex(code)}`;
    else if (code > 0x7f) out += `\\u00${hex(code)}`;
    else if (code < 0x20) {
      switch (code) {
        case 0x08:
          out += "\\b";
          break;
        case 0x09:
          out += "\\t";
          break;
        case 0x0a:
          out += "\\n";
          break;
        case 0x0c:
          out += "\\f";
          break;
        case 0x0d:
          out += "\\r";
          break;
        default:
          out += code > 0xf ? `\\u00${hex(code)}` : `\\u000${hex(code)}`;
      }
    } else {
      const c = s[i]!;
      if (c === "'" || c === '"' || c === "\\" || c === "/") out += `\\${c}`;
      else out += c;
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * java.net.URLEncoder.encode(s, "UTF-8"): only A-Z a-z 0-9 . - * _ stay as they are, space becomes "+";
 * an unpaired surrogate is encoded as "?" (%3F) like Java's charset encoder does.
 */
export function urlEncode(s: string): string {
  return encodeURIComponent(s.replace(LONE_SURROGATE, "?"))
    .replace(/[!'()~]/g, (c) => `%${hex(c.charCodeAt(0))}`)
    .replace(/%20/g, "+");
}

/** java.net.URLDecoder.decode(s, "UTF-8"): "+" is a space; a malformed escape is an error. */
export function urlDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "+") bytes.push(0x20);
    else if (c === "%") {
      const pair = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new VtlUtilError(`URLDecoder: Illegal hex characters in escape (%) pattern`);
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else {
      // Runs of unescaped characters are kept as their UTF-8 bytes so escaped and literal text decode together.
      const code = s.codePointAt(i)!;
      if (code > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(code), "utf8")) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export function base64Encode(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}

export function base64Decode(s: string): string {
  return Buffer.from(s, "base64").toString("utf8");
}

export function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch (err) {
    throw new VtlUtilError(`parseJson: ${(err as Error).message}`);
  }
}

/** The `$util` object. Each function takes a string; a null argument yields null, as the Java methods do. */
export const vtlUtil: VtlHostObject = Object.freeze({
  vtlHost: true,
  vtlProperty: () => undefined,
  vtlInvoke(name: string, args: readonly unknown[]): unknown {
    const arg = args[0];
    if (arg === null || arg === undefined) return null;
    const s = toJavaString(arg);
    switch (name) {
      case "escapeJavaScript":
        return escapeJavaScript(s);
      case "parseJson":
        return parseJson(s);
      case "urlEncode":
        return urlEncode(s);
      case "urlDecode":
        return urlDecode(s);
      case "base64Encode":
        return base64Encode(s);
      case "base64Decode":
        return base64Decode(s);
      default:
        return undefined;
    }
  },
});
