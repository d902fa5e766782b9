// How values behave inside API Gateway's VTL: what they print as, how they compare, what is "true".
// API Gateway runs Velocity on the JVM, where JSON documents (Jayway + json-smart) are LinkedHashMaps and
// JSONArrays: a map prints Java-style `{a=1, b=x}`, a JSON array prints as compact JSON `[{"a":1}]`.
// Lists a template builds itself (`[1, 2]`, `keySet()`, `split()`) are java.util lists: `[1, 2]`.

/** Objects provided by the gateway itself (`$input`, `$util`) rather than data. */
export interface VtlHostObject {
  readonly vtlHost: true;
  vtlProperty(name: string): unknown;
  vtlInvoke(name: string, args: readonly unknown[]): unknown;
}

export type VtlMap = Record<string, unknown>;

// A symbol-keyed tag: invisible to JSON.stringify and to the template, cheaper than a WeakSet lookup.
const JAVA_LIST: unique symbol = Symbol("java.util.List");
type TaggedList = unknown[] & { [JAVA_LIST]?: true };

/** Marks a list created by template code, so it prints Java-style rather than as JSON. */
export function javaList<T>(items: T[]): T[] {
  (items as TaggedList)[JAVA_LIST] = true;
  return items;
}

function isJavaList(items: unknown[]): boolean {
  return (items as TaggedList)[JAVA_LIST] === true;
}

export function isHostObject(value: unknown): value is VtlHostObject {
  return typeof value === "object" && value !== null && (value as Partial<VtlHostObject>).vtlHost === true;
}

export function isVtlMap(value: unknown): value is VtlMap {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The text a value renders as in template output; null and missing values render as nothing (§12.1). */
export function printValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  return printNested(value);
}

/** Java's toString of a value nested in a map or list: null is "null" there. */
function printNested(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) {
    if (isJavaList(value)) return `[${value.map(printNested).join(", ")}]`;
    return JSON.stringify(value, jsonSafeReplacer);
  }
  if (isHostObject(value)) return "";
  if (isVtlMap(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value)) parts.push(`${key}=${printNested(value[key])}`);
    return `{${parts.join(", ")}}`;
  }
  return "";
}

/** Values a template can put into a JSON list (host objects, functions) serialise as null rather than throw. */
function jsonSafeReplacer(_key: string, value: unknown): unknown {
  if (isHostObject(value) || typeof value === "function" || typeof value === "bigint") return null;
  return value;
}

/** Velocity 1.7 truthiness: false and null are false; everything else, even "" and 0, is true. */
export function isTruthy(value: unknown): boolean {
  return value !== false && value !== null && value !== undefined;
}

/**
 * Velocity `==`: numbers compare numerically, same-type values by equality, anything else by its string form.
 * API Gateway treats a null reference as empty text, so `#if($missing == "")` is true (§12.1).
 */
export function vtlEquals(left: unknown, right: unknown): boolean {
  const a = left === undefined ? null : left;
  const b = right === undefined ? null : right;
  if (a === null && b === null) return true;
  if (a === null) return b === "";
  if (b === null) return a === "";
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === typeof b && typeof a !== "object") return a === b;
  if (a === b) return true;
  return printNested(a) === printNested(b);
}

/** A deep copy of plain data, so templates can `#set`/`put` on it without touching the caller's objects. */
export function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (isVtlMap(value)) {
    const out: VtlMap = {};
    for (const key of Object.keys(value)) out[key] = copyData(value[key]);
    return out;
  }
  return value;
}

/** Java's String.valueOf for method arguments: templates pass maps, numbers, null where strings are expected. */
export function toJavaString(value: unknown): string {
  return value === null || value === undefined ? "null" : printNested(value);
}
