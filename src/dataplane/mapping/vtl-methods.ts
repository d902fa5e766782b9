// The Java methods templates call on values: String, Number/Boolean, List and Map (java.util semantics).
// Only these methods are reachable; a method that does not exist evaluates to null, as Velocity does when
// method resolution fails, and never reaches a JavaScript built-in.

import { compileJavaRegex } from "./java-regex.js";
import { compileSelectionPattern } from "./selection-pattern.js";
import { isVtlMap, javaList, printValue, toJavaString, vtlEquals, type VtlMap } from "./vtl-values.js";

export class VtlMethodError extends Error {}

const NO_SUCH_METHOD = undefined;

function intArg(args: readonly unknown[], index: number, method: string): number {
  const value = args[index];
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new VtlMethodError(`${method}: argument ${index + 1} is not an integer`);
  return n;
}

function stringArg(args: readonly unknown[], index: number): string {
  return toJavaString(args[index]);
}

function outOfBounds(method: string, detail: string): never {
  throw new VtlMethodError(`${method}: StringIndexOutOfBoundsException: ${detail}`);
}

/** Java's String.trim strips every character <= U+0020 at both ends (not Unicode whitespace). */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Java replacement strings: `$n` / `${name}` are group references, `\x` quotes x; anything else is literal. */
function javaReplacement(replacement: string): (match: string, groups: readonly (string | undefined)[], named: Record<string, string> | undefined) => string {
  type Part = string | { group: number } | { name: string };
  const parts: Part[] = [];
  let literal = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === "\\") {
      if (i + 1 >= replacement.length) throw new VtlMethodError("character to be escaped is missing");
      literal += replacement[++i];
    } else if (c === "$") {
      if (literal !== "") parts.push(literal);
      literal = "";
      if (replacement[i + 1] === "{") {
        const close = replacement.indexOf("}", i);
        if (close === -1) throw new VtlMethodError("named capturing group is missing trailing '}'");
        parts.push({ name: replacement.slice(i + 2, close) });
        i = close;
      } else {
        const digits = /^\d+/.exec(replacement.slice(i + 1));
        if (digits === null) throw new VtlMethodError("Illegal group reference");
        parts.push({ group: Number(digits[0]) });
        i += digits[0].length;
      }
    } else {
      literal += c;
    }
  }
  if (literal !== "") parts.push(literal);
  return (match, groups, named) => {
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") out += part;
      else if ("group" in part) {
        if (part.group === 0) out += match;
        else if (part.group > groups.length) throw new VtlMethodError(`No group ${part.group}`);
        else out += groups[part.group - 1] ?? "";
      } else {
        const value = named?.[part.name];
        if (named === undefined || !Object.hasOwn(named, part.name)) throw new VtlMethodError(`No group with name {${part.name}}`);
        out += value ?? "";
      }
    }
    return out;
  };
}

function javaReplace(s: string, regex: string, replacement: string, all: boolean): string {
  const re = compileJavaRegex(regex, all ? "g" : "");
  const build = javaReplacement(replacement);
  return s.replace(re, (match: string, ...rest: unknown[]) => {
    // String.replace passes (match, g1..gn, offset, input[, namedGroups]).
    const hasNamed = typeof rest[rest.length - 1] === "object";
    const groupCount = rest.length - (hasNamed ? 3 : 2);
    const groups = rest.slice(0, groupCount) as (string | undefined)[];
    const named = hasNamed ? (rest[rest.length - 1] as Record<string, string>) : undefined;
    return build(match, groups, named);
  });
}

/** Java's String.split(regex, limit): no captured groups in the result, trailing empty strings dropped when limit is 0. */
export function javaSplit(s: string, regex: string, limit = 0): string[] {
  const re = compileJavaRegex(regex, "g");
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((limit <= 0 || out.length < limit - 1) && (m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      // A zero-width match at the start never yields a leading empty string (Java 8+).
      if (m.index === 0) continue;
      if (m.index >= s.length) break;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  if (out.length === 0) return [s];
  out.push(s.slice(last));
  if (limit === 0) while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

function stringMethod(s: string, name: string, args: readonly unknown[]): unknown {
  switch (name) {
    case "length":
      return s.length;
    case "isEmpty":
      return s.length === 0;
    case "toString":
    case "intern":
      return s;
    case "toLowerCase":
      return s.toLowerCase();
    case "toUpperCase":
      return s.toUpperCase();
    case "trim":
      return javaTrim(s);
    case "strip":
      return s.trim();
    case "charAt": {
      const i = intArg(args, 0, name);
      if (i < 0 || i >= s.length) outOfBounds(name, `index ${i}, length ${s.length}`);
      return s[i];
    }
    case "substring": {
      const begin = intArg(args, 0, name);
      const end = args.length > 1 ? intArg(args, 1, name) : s.length;
      if (begin < 0 || end > s.length || begin > end) outOfBounds(name, `begin ${begin}, end ${end}, length ${s.length}`);
      return s.slice(begin, end);
    }
    case "indexOf":
      return s.indexOf(stringArg(args, 0), args.length > 1 ? intArg(args, 1, name) : 0);
    case "lastIndexOf":
      return args.length > 1 ? s.lastIndexOf(stringArg(args, 0), intArg(args, 1, name)) : s.lastIndexOf(stringArg(args, 0));
    case "contains":
      return s.includes(stringArg(args, 0));
    case "startsWith":
      return s.startsWith(stringArg(args, 0), args.length > 1 ? intArg(args, 1, name) : 0);
    case "endsWith":
      return s.endsWith(stringArg(args, 0));
    case "equals":
      return typeof args[0] === "string" && args[0] === s;
    case "equalsIgnoreCase":
      return typeof args[0] === "string" && args[0].toLowerCase() === s.toLowerCase();
    case "compareTo": {
      const other = stringArg(args, 0);
      return s < other ? -1 : s > other ? 1 : 0;
    }
    case "concat":
      return s + stringArg(args, 0);
    case "replace": {
      // Java's replace(CharSequence, CharSequence) replaces every literal occurrence.
      const target = stringArg(args, 0);
      const replacement = stringArg(args, 1);
      if (target === "") return replacement + [...s].join(replacement) + replacement;
      return s.split(target).join(replacement);
    }
    case "replaceAll":
      return javaReplace(s, stringArg(args, 0), stringArg(args, 1), true);
    case "replaceFirst":
      return javaReplace(s, stringArg(args, 0), stringArg(args, 1), false);
    case "matches":
      return compileSelectionPattern(stringArg(args, 0))(s);
    case "split":
      return javaList(javaSplit(s, stringArg(args, 0), args.length > 1 ? intArg(args, 1, name) : 0));
    default:
      return NO_SUCH_METHOD;
  }
}

function scalarMethod(value: number | boolean, name: string, args: readonly unknown[]): unknown {
  switch (name) {
    case "toString":
      return String(value);
    case "equals":
      return args[0] === value;
    case "booleanValue":
      return typeof value === "boolean" ? value : NO_SUCH_METHOD;
    case "intValue":
    case "longValue":
      return typeof value === "number" ? Math.trunc(value) : NO_SUCH_METHOD;
    case "doubleValue":
    case "floatValue":
      return typeof value === "number" ? value : NO_SUCH_METHOD;
    default:
      return NO_SUCH_METHOD;
  }
}

function listMethod(list: unknown[], name: string, args: readonly unknown[]): unknown {
  switch (name) {
    case "size":
      return list.length;
    case "isEmpty":
      return list.length === 0;
    case "get": {
      const i = intArg(args, 0, name);
      if (i < 0 || i >= list.length) throw new VtlMethodError(`get: IndexOutOfBoundsException: Index ${i} out of bounds for length ${list.length}`);
      return list[i];
    }
    case "contains":
      return list.some((item) => vtlEquals(item, args[0]));
    case "indexOf":
      return list.findIndex((item) => vtlEquals(item, args[0]));
    case "add":
      list.push(args[0]);
      return true;
    case "remove": {
      const i = typeof args[0] === "number" ? args[0] : list.findIndex((item) => vtlEquals(item, args[0]));
      if (i < 0 || i >= list.length) return typeof args[0] === "number" ? NO_SUCH_METHOD : false;
      const [removed] = list.splice(i, 1);
      return typeof args[0] === "number" ? removed : true;
    }
    case "subList":
      return javaList(list.slice(intArg(args, 0, name), intArg(args, 1, name)));
    case "toString":
      return printValue(list);
    default:
      return NO_SUCH_METHOD;
  }
}

function mapMethod(map: VtlMap, name: string, args: readonly unknown[]): unknown {
  switch (name) {
    case "get": {
      const key = toJavaString(args[0]);
      return Object.hasOwn(map, key) ? map[key] : null;
    }
    case "containsKey":
      return Object.hasOwn(map, toJavaString(args[0]));
    case "containsValue":
      return Object.values(map).some((v) => vtlEquals(v, args[0]));
    case "keySet":
      return javaList(Object.keys(map));
    case "values":
      return javaList(Object.values(map));
    case "entrySet":
      return javaList(Object.keys(map).map((key) => ({ key, value: map[key] })));
    case "size":
      return Object.keys(map).length;
    case "isEmpty":
      return Object.keys(map).length === 0;
    case "put": {
      const key = toJavaString(args[0]);
      const previous = Object.hasOwn(map, key) ? map[key] : null;
      map[key] = args[1];
      return previous;
    }
    case "putAll":
      if (isVtlMap(args[0])) Object.assign(map, args[0]);
      return NO_SUCH_METHOD;
    case "remove": {
      const key = toJavaString(args[0]);
      const previous = Object.hasOwn(map, key) ? map[key] : null;
      delete map[key];
      return previous;
    }
    case "toString":
      return printValue(map);
    default: {
      // Bean-style getters (`$entry.getKey()`) resolve to the property, as Velocity's uberspector does.
      const getter = /^(?:get|is)([A-Z].*)$/.exec(name);
      if (getter !== null && args.length === 0) {
        const property = getter[1]!.charAt(0).toLowerCase() + getter[1]!.slice(1);
        if (Object.hasOwn(map, property)) return map[property];
        if (Object.hasOwn(map, getter[1]!)) return map[getter[1]!];
      }
      return NO_SUCH_METHOD;
    }
  }
}

/** Invokes a Java method on a data value; undefined when the value has no such method. */
export function invokeValueMethod(target: unknown, name: string, args: readonly unknown[]): unknown {
  if (typeof target === "string") return stringMethod(target, name, args);
  if (typeof target === "number" || typeof target === "boolean") return scalarMethod(target, name, args);
  if (Array.isArray(target)) return listMethod(target, name, args);
  if (isVtlMap(target)) return mapMethod(target, name, args);
  return NO_SUCH_METHOD;
}
