// Model schemas (JSON Schema draft-4 held as strings): parsing, inlining references to other models of the same
// API (`GetModel?flatten=true`) and the VTL skeleton `GetModelTemplate` generates from a schema.
import type { ModelDoc, RestApiDoc } from "./rest-api.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Models reference each other by URL: `https://apigateway.amazonaws.com/restapis/{id}/models/{Name}`. */
const MODEL_REF = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/([^/]+)\/models\/([^/#?]+)$/;
const VTL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema as an object, or null when it is not a JSON object. */
export function parseModelSchema(schema: string): JsonObject | null {
  try {
    const value = JSON.parse(schema) as JsonValue;
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** The model a `$ref` points to, when it names a model of this API. */
function referencedModel(api: RestApiDoc, ref: JsonValue | undefined): ModelDoc | undefined {
  if (typeof ref !== "string") return undefined;
  const m = MODEL_REF.exec(ref);
  if (!m || m[1] !== api.id) return undefined;
  return api.models[decodeURIComponent(m[2]!)];
}

/** A referenced model's schema ready to inline: `$schema` only belongs at a document's root. */
function inlineTarget(model: ModelDoc): JsonObject | null {
  const parsed = model.schema === undefined ? null : parseModelSchema(model.schema);
  if (!parsed) return null;
  const { $schema: _dropped, ...rest } = parsed;
  return rest;
}

/**
 * `GetModel?flatten=true`: every `$ref` to another model of the API is replaced by that model's schema,
 * recursively. A reference cycle keeps its `$ref` where it would recurse. A schema without model references is
 * returned unchanged, byte for byte.
 */
export function flattenModelSchema(api: RestApiDoc, modelName: string, schema: string): string {
  const root = parseModelSchema(schema);
  if (!root) return schema;
  let changed = false;
  const inline = (value: JsonValue, seen: ReadonlySet<string>): JsonValue => {
    if (Array.isArray(value)) return value.map((v) => inline(v, seen));
    if (!isObject(value)) return value;
    const target = referencedModel(api, value["$ref"]);
    if (target && !seen.has(target.name)) {
      const replacement = inlineTarget(target);
      if (replacement) {
        changed = true;
        return inline(replacement, new Set([...seen, target.name]));
      }
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = inline(v, seen);
    return out;
  };
  const flattened = inline(root, new Set([modelName]));
  return changed ? JSON.stringify(flattened, null, 2) : schema;
}

/** `$inputRoot.name`, or `$inputRoot.get('a b')` for names VTL cannot write as a property reference. */
function member(expr: string, key: string): string {
  return VTL_IDENTIFIER.test(key) ? `${expr}.${key}` : `${expr}.get('${key.replaceAll("'", "''")}')`;
}

function schemaType(schema: JsonObject): string | undefined {
  const t = schema["type"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === "string" && x !== "null");
  if (isObject(schema["properties"])) return "object";
  if (schema["items"] !== undefined) return "array";
  return undefined;
}

/**
 * One value of the skeleton: objects become `{ "k" : … }` blocks, arrays a `#foreach` over their items,
 * strings a quoted reference and numbers/booleans a bare one — the shape of the templates AWS generates
 * (an object without properties renders `{ }`, which is exactly AWS's template for the Empty model).
 */
function renderValue(api: RestApiDoc, node: JsonValue, expr: string, indent: number, seen: ReadonlySet<string>, depth: number): string {
  if (!isObject(node)) return expr;
  let schema = node;
  let visited = seen;
  const target = referencedModel(api, schema["$ref"]);
  if (target) {
    const resolved = seen.has(target.name) ? null : inlineTarget(target);
    if (!resolved) return "{ }";
    schema = resolved;
    visited = new Set([...seen, target.name]);
  }
  const pad = " ".repeat(indent);
  switch (schemaType(schema)) {
    case "object": {
      const props = schema["properties"];
      const entries = isObject(props) ? Object.entries(props) : [];
      if (entries.length === 0) return "{ }";
      const lines = entries.map(([k, s]) => `${pad}  ${JSON.stringify(k)} : ${renderValue(api, s, member(expr, k), indent + 2, visited, depth)}`);
      return `{\n${lines.join(",\n")}\n${pad}}`;
    }
    case "array": {
      const raw = schema["items"];
      const items = Array.isArray(raw) ? (raw[0] ?? null) : (raw ?? null);
      const elem = depth === 0 ? "$elem" : `$elem${depth}`;
      const inner = renderValue(api, items, elem, indent + 2, visited, depth + 1);
      return `[\n#foreach(${elem} in ${expr})\n${pad}  ${inner}#if($foreach.hasNext),#end\n#end\n${pad}]`;
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return expr;
    default:
      return `"${expr}"`;
  }
}

/** `GetModelTemplate`: a mapping template that reproduces the model's shape from `$input`. */
export function renderModelTemplate(api: RestApiDoc, model: ModelDoc): string {
  const parsed = model.schema === undefined ? null : parseModelSchema(model.schema);
  const body = parsed ? renderValue(api, parsed, "$inputRoot", 0, new Set([model.name]), 0) : "{ }";
  return `#set($inputRoot = $input.path('$'))\n${body}`;
}
