// Helpers for the restJson1 wire format: typed reading of request members (AWS's SerializationException and
// ValidationException for wrong types and missing members), list wrappers and position/limit pagination.
import { ApiError, ERRORS, badRequest, validationError } from "../errors/api-error.js";

type Body = Record<string, unknown>;

function javaClass(value: unknown): string {
  if (typeof value === "boolean") return "java.lang.Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "java.lang.Integer" : "java.lang.Double";
  if (typeof value === "string") return "java.lang.String";
  if (Array.isArray(value)) return "java.util.ArrayList";
  return "java.util.LinkedHashMap";
}

function serialization(value: unknown, target: string): ApiError {
  return new ApiError(ERRORS.Serialization, `class ${javaClass(value)} can not be converted to an ${target}`);
}

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw serialization(v, "String");
  return v;
}

/** A required member: absent → `Value null at '{shape}.{key}' failed to satisfy constraint: Member must not be null`. */
export function reqString(body: Body, key: string, inputShape: string): string {
  const v = optString(body, key);
  if (v === undefined) throw validationError([`Value null at '${inputShape}.${key}' failed to satisfy constraint: Member must not be null`]);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw serialization(v, "Boolean");
  return v;
}

export function optInt(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw serialization(v, "Integer");
  return v;
}

export function optNumber(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw serialization(v, "Double");
  return v;
}

export function optObject(body: Body, key: string): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw serialization(v, "Object");
  return v as Body;
}

export function optStringList(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw serialization(v, "List");
  return v.map((item) => {
    if (typeof item !== "string") throw serialization(item, "String");
    return item;
  });
}

export function optStringMap(body: Body, key: string): Record<string, string> | undefined {
  const obj = optObject(body, key);
  if (obj === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== "string") throw serialization(v, "String");
    out[k] = v;
  }
  return out;
}

/** Like optStringMap, but values may be null (a mapping template of `null` means passthrough). */
export function optNullableStringMap(body: Body, key: string): Record<string, string | null> | undefined {
  const obj = optObject(body, key);
  if (obj === undefined) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v !== "string") throw serialization(v, "String");
    out[k] = v;
  }
  return out;
}

export function optBoolMap(body: Body, key: string): Record<string, boolean> | undefined {
  const obj = optObject(body, key);
  if (obj === undefined) return undefined;
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== "boolean") throw serialization(v, "Boolean");
    out[k] = v;
  }
  return out;
}

/** Query booleans arrive as `true`/`false`. */
export function queryBool(query: URLSearchParams, key: string): boolean {
  return query.get(key)?.toLowerCase() === "true";
}

/** `embed` is documented as comma-separated but the SDK repeats the key; accept both. */
export function queryList(query: URLSearchParams, key: string): string[] {
  return query.getAll(key).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** Drops undefined members so the JSON carries only keys that have a value, as AWS does. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

export interface Page<T> {
  item: T[];
  position?: string;
}

/** position/limit pagination: default 25, at most 500; no `position` on the last page. */
export function paginate<T>(items: readonly T[], query: URLSearchParams): Page<T> {
  const limitRaw = query.get("limit");
  let limit = 25;
  if (limitRaw !== null) {
    limit = Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw badRequest(`Invalid limit specified: ${limitRaw}. The limit must be between 1 and 500.`);
    }
  }
  const position = query.get("position");
  let start = 0;
  if (position) {
    start = decodePosition(position);
  }
  const item = items.slice(start, start + limit);
  const next = start + limit;
  return next < items.length ? { item, position: encodePosition(next) } : { item };
}

function encodePosition(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

function decodePosition(position: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(position, "base64url").toString("utf8"));
  if (!m) throw badRequest("Invalid position parameter");
  return Number(m[1]);
}
