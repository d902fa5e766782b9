// Reading OpenAPI documents (Swagger 2.0 and OpenAPI 3.0.x, as JSON or YAML) into plain JSON values, and the
// small typed accessors the importer and the documentation importer share. AWS detects the format by content,
// not by Content-Type: the JS SDK sends application/octet-stream and the CLI sends no Content-Type at all.
import { parse as parseYaml } from "yaml";
import { badRequest, type ApiError } from "../../errors/api-error.js";
import type { JsonObject, JsonValue } from "../model-schema.js";

export type OpenApiVersion = "swagger2" | "oas3";

export interface OpenApiDocument {
  readonly version: OpenApiVersion;
  readonly root: JsonObject;
}

/** AWS's answer to a body that is not an OpenAPI definition (as reported by Terraform users of PutRestApi). */
export const invalidOpenApiInput = (): ApiError => badRequest("Invalid OpenAPI input.");

export const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export function objectAt(node: JsonObject, key: string): JsonObject | undefined {
  const v = node[key];
  return isObject(v) ? v : undefined;
}

export function stringAt(node: JsonObject, key: string): string | undefined {
  const v = node[key];
  return typeof v === "string" ? v : undefined;
}

export function boolAt(node: JsonObject, key: string): boolean | undefined {
  const v = node[key];
  return typeof v === "boolean" ? v : undefined;
}

export function numberAt(node: JsonObject, key: string): number | undefined {
  const v = node[key];
  return typeof v === "number" ? v : undefined;
}

export function stringListAt(node: JsonObject, key: string): string[] | undefined {
  const v = node[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

/** A map of string values (templates, parameter mappings); `null` values survive as passthrough markers. */
export function stringMapAt(node: JsonObject, key: string): Record<string, string> | undefined {
  const obj = objectAt(node, key);
  if (!obj) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === "string") out[k] = v;
  return out;
}

export function nullableStringMapAt(node: JsonObject, key: string): Record<string, string | null> | undefined {
  const obj = objectAt(node, key);
  if (!obj) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === "string" || v === null) out[k] = v;
  return out;
}

/** JSON first (the common case, and exact for numbers), then YAML, which is a superset of JSON. */
export function parseDocumentText(body: Buffer): JsonValue {
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    try {
      return parseYaml(text) as JsonValue;
    } catch {
      throw invalidOpenApiInput();
    }
  }
}

/** The body as an OpenAPI definition: `swagger: "2.0"` or `openapi: "3.x"`, anything else is rejected. */
export function readOpenApiDocument(body: Buffer): OpenApiDocument {
  const root = parseDocumentText(body);
  if (!isObject(root)) throw invalidOpenApiInput();
  const swagger = root["swagger"];
  const openapi = root["openapi"];
  if (swagger === "2.0" || swagger === 2) return { version: "swagger2", root };
  if (typeof openapi === "string" && openapi.startsWith("3.")) return { version: "oas3", root };
  throw invalidOpenApiInput();
}

/** Follows a local `$ref` (`#/definitions/X`, `#/components/parameters/Y`) within the document. */
export function resolveLocalRef(root: JsonObject, node: JsonValue | undefined): JsonValue | undefined {
  let current = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current["$ref"] === "string") {
    const ref = current["$ref"];
    if (!ref.startsWith("#/") || seen.has(ref)) return current;
    seen.add(ref);
    let target: JsonValue | undefined = root;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
      target = isObject(target) ? target[key] : undefined;
    }
    current = target;
  }
  return current;
}

/** The model name a schema `$ref` names (`#/definitions/Pet`, `#/components/schemas/Pet`), if it is one. */
export function modelRefName(schema: JsonValue | undefined): string | undefined {
  if (!isObject(schema) || typeof schema["$ref"] !== "string") return undefined;
  const m = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(schema["$ref"]);
  return m ? decodeURIComponent(m[1]!) : undefined;
}
