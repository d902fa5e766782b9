// The two models every new REST API has, with AWS's exact schema strings.
import { newShortId } from "../util/ids.js";
import type { ModelDoc } from "./rest-api.js";

const ERROR_SCHEMA =
  '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}';
const EMPTY_SCHEMA = '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}';

/** The two schemas by model name (request validation falls back to them when an API no longer has the model). */
export const DEFAULT_MODEL_SCHEMAS: Readonly<Record<"Error" | "Empty", string>> = { Error: ERROR_SCHEMA, Empty: EMPTY_SCHEMA };

export function defaultModels(): Record<string, ModelDoc> {
  return {
    Error: { id: newShortId(), name: "Error", contentType: "application/json", description: "This is a default error schema model", schema: ERROR_SCHEMA },
    Empty: { id: newShortId(), name: "Empty", contentType: "application/json", description: "This is a default empty schema model", schema: EMPTY_SCHEMA },
  };
}
