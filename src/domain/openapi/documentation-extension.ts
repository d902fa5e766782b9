// `x-amazon-apigateway-documentation` (ImportRestApi and ImportDocumentationParts): `{version, createdDate,
// documentationParts: [{location, properties}]}` where `properties` is an object in the document and a JSON
// string once stored. Entries AWS could not use become warnings.
import { ApiError } from "../../errors/api-error.js";
import { checkLocation, sameLocation, type DocumentationLocation } from "../documentation-parts.js";
import type { DocumentationPartDoc } from "../rest-api.js";
import { isObject, stringAt } from "./openapi-document.js";
import type { JsonObject } from "../model-schema.js";

export interface ReadParts {
  readonly parts: DocumentationPartDoc[];
  readonly warnings: string[];
}

export function readDocumentationParts(ext: JsonObject, newId: () => string): ReadParts {
  const parts: DocumentationPartDoc[] = [];
  const warnings: string[] = [];
  const list = ext["documentationParts"];
  if (!Array.isArray(list)) return { parts, warnings };
  list.forEach((entry, i) => {
    const raw = isObject(entry) ? entry["location"] : undefined;
    if (!isObject(entry) || !isObject(raw) || typeof raw["type"] !== "string") {
      warnings.push(`Documentation part ${i + 1} has no valid location, ignoring`);
      return;
    }
    const location: DocumentationLocation = { type: raw["type"] };
    for (const key of ["path", "method", "statusCode", "name"] as const) {
      const v = stringAt(raw, key);
      if (v !== undefined) location[key] = v;
    }
    try {
      const props = entry["properties"];
      const properties = typeof props === "string" ? props : JSON.stringify(isObject(props) ? props : {});
      parts.push({ id: newId(), location: checkLocation(location, "location"), properties });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      warnings.push(`Documentation part ${i + 1}: ${err.message}, ignoring`);
    }
  });
  return { parts, warnings };
}

/** merge: an imported part replaces the existing part at the same location; the others stay. */
export function mergeDocumentationParts(
  existing: Readonly<Record<string, DocumentationPartDoc>>,
  incoming: readonly DocumentationPartDoc[],
): Record<string, DocumentationPartDoc> {
  const kept = Object.values(existing).filter((p) => !incoming.some((n) => sameLocation(n.location, p.location)));
  return Object.fromEntries([...kept, ...incoming].map((p) => [p.id, p]));
}
