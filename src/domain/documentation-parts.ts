// Documentation parts: where a part may point (DocumentationPartLocation), how AWS fills unset location fields
// when it compares locations, and the `properties` JSON-object-as-a-string rule (control-plane.md §3.15).
import { badRequest, enumClause, validationError } from "../errors/api-error.js";
import { parseModelSchema } from "./model-schema.js";
import type { DocumentationPartDoc } from "./rest-api.js";

export type DocumentationLocation = DocumentationPartDoc["location"];

export const LOCATION_TYPES = [
  "API",
  "AUTHORIZER",
  "MODEL",
  "RESOURCE",
  "METHOD",
  "PATH_PARAMETER",
  "QUERY_PARAMETER",
  "REQUEST_HEADER",
  "REQUEST_BODY",
  "RESPONSE",
  "RESPONSE_HEADER",
  "RESPONSE_BODY",
] as const;

/** Types that document a named entity (parameter, header, model, authorizer) and so need `name`. */
const NAMED = new Set(["AUTHORIZER", "MODEL", "PATH_PARAMETER", "QUERY_PARAMETER", "REQUEST_HEADER", "RESPONSE_HEADER"]);
/** Types that live on a resource path, a method, a response. */
const ON_PATH = new Set(["RESOURCE", "METHOD", "PATH_PARAMETER", "QUERY_PARAMETER", "REQUEST_HEADER", "REQUEST_BODY", "RESPONSE", "RESPONSE_HEADER", "RESPONSE_BODY"]);
const ON_METHOD = new Set(["METHOD", "PATH_PARAMETER", "QUERY_PARAMETER", "REQUEST_HEADER", "REQUEST_BODY", "RESPONSE", "RESPONSE_HEADER", "RESPONSE_BODY"]);
const ON_RESPONSE = new Set(["RESPONSE", "RESPONSE_HEADER", "RESPONSE_BODY"]);

/**
 * Checks a location and keeps only the fields that apply to its type. Wording of the missing-name error is
 * unverified against AWS.
 */
export function checkLocation(location: DocumentationLocation, at: string): DocumentationLocation {
  if (!(LOCATION_TYPES as readonly string[]).includes(location.type)) {
    throw validationError([enumClause(location.type, `${at}.type`, LOCATION_TYPES)]);
  }
  if (NAMED.has(location.type) && !location.name) {
    throw badRequest(`Invalid documentation part location: name must be specified for type ${location.type}`);
  }
  const out: DocumentationLocation = { type: location.type };
  if (ON_PATH.has(location.type) && location.path !== undefined) out.path = location.path;
  if (ON_METHOD.has(location.type) && location.method !== undefined) out.method = location.method;
  if (ON_RESPONSE.has(location.type) && location.statusCode !== undefined) out.statusCode = location.statusCode;
  if (NAMED.has(location.type) && location.name !== undefined) out.name = location.name;
  return out;
}

/** Unset path/method/statusCode mean `/`, `*` and `*` (DocumentationPartLocation defaults). */
function locationKey(location: DocumentationLocation): string {
  const t = location.type;
  return JSON.stringify([
    t,
    ON_PATH.has(t) ? (location.path ?? "/") : null,
    ON_METHOD.has(t) ? (location.method ?? "*") : null,
    ON_RESPONSE.has(t) ? (location.statusCode ?? "*") : null,
    NAMED.has(t) ? (location.name ?? null) : null,
  ]);
}

export function sameLocation(a: DocumentationLocation, b: DocumentationLocation): boolean {
  return locationKey(a) === locationKey(b);
}

/** The resource path a part applies to, for the `path` filter of GetDocumentationParts. */
export function locationPath(location: DocumentationLocation): string | undefined {
  return ON_PATH.has(location.type) ? (location.path ?? "/") : undefined;
}

/** `properties` must be a JSON object serialized as a string (wording unverified against AWS). */
export function checkProperties(properties: string): void {
  if (parseModelSchema(properties) === null) throw badRequest("Invalid documentation content specified: properties must be a JSON object");
}

/** DOCUMENTED parts carry content; UNDOCUMENTED ones have empty properties (`{}`). */
export function isDocumented(part: DocumentationPartDoc): boolean {
  const parsed = parseModelSchema(part.properties);
  return parsed !== null && Object.keys(parsed).length > 0;
}
