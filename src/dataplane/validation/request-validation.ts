// The `validateRequest` phase (data-plane.md §8): a method with a request validator checks its required
// parameters, then its body against the model chosen by Content-Type. Models are JSON Schema draft 4 (ajv with
// ajv-draft-04), compiled once per deployment; they reference each other by their AWS model URL.
//
// Two points follow AWS's guide ("Request validation for REST APIs") where data-plane.md §8 differs: a required
// parameter must be present and not blank, and a body whose content type has no model (and no `$default` model)
// is not validated — rather than checked against the Empty model.
import type { ErrorObject, ValidateFunction } from "ajv";
import ajvDraft04 from "ajv-draft-04";
import type { MethodDoc } from "../../domain/rest-api.js";
import type { ApiSnapshot } from "../../domain/stage.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { configurationError, GatewayError } from "../gateway-error.js";
import { mediaTypeOf } from "../mapping/media-types.js";
import { readDecodedBody } from "../content-encoding.js";
import { queryParameters } from "../method-request.js";
import { DEFAULT_MODEL_SCHEMAS } from "../../domain/default-models.js";

// A CommonJS package: under NodeNext its class is the module's `default` export.
const Ajv04 = ajvDraft04.default;

const modelUrl = (apiId: string, name: string): string => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;

/** One per compiled stage: every model of the API registered under its URL, each compiled when first used. */
export class ModelSchemas {
  private readonly ajv: InstanceType<typeof Ajv04>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly names: ReadonlySet<string>;

  constructor(private readonly api: Pick<ApiSnapshot, "id" | "models">) {
    // verbose: the findings quote the offending values. strict: false — AWS accepts keywords and formats a validator does not know, and ignores them.
    this.ajv = new Ajv04({ allErrors: true, verbose: true, strict: false, logger: false });
    const names = new Set<string>();
    // The models every API is created with; an API's own model of the same name wins.
    const models = { ...DEFAULT_MODEL_SCHEMAS, ...Object.fromEntries(Object.values(api.models ?? {}).map((m) => [m.name, m.schema ?? "{}"])) };
    for (const [name, schema] of Object.entries(models)) {
      names.add(name);
      try {
        const parsed = JSON.parse(schema) as Record<string, unknown>;
        // The URL is the schema's identity; an `id` of its own would re-base its references.
        const { id: _ownId, ...rest } = parsed;
        this.ajv.addSchema(rest, modelUrl(api.id, encodeURIComponent(name)));
      } catch {
        // Unparsable (the management API refuses these): a method that uses it fails when compiled below.
      }
    }
    this.names = names;
  }

  /** The validator of a model, or a configuration error naming why it cannot run. */
  validator(name: string): ValidateFunction {
    let fn = this.compiled.get(name);
    if (fn) return fn;
    if (!this.names.has(name)) throw configurationError(`Invalid model name specified: ${name}`);
    try {
      fn = this.ajv.getSchema(modelUrl(this.api.id, encodeURIComponent(name)));
    } catch (err) {
      throw configurationError(`Invalid model schema for ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!fn) throw configurationError(`Invalid model schema for ${name}`);
    this.compiled.set(name, fn);
    return fn;
  }
}

interface RequiredParameter {
  readonly location: "querystring" | "header" | "path";
  readonly name: string;
}

/**
 * The phase for one method, or undefined when it has no validator (or one that checks nothing). Model
 * compilation happens here, at deployment time: a broken model fails the method with AWS's 500 on every call.
 */
export function compileRequestValidation(method: MethodDoc, api: ApiSnapshot, schemas: () => ModelSchemas): PhaseStep | undefined {
  const validator = method.requestValidatorId === undefined ? undefined : api.requestValidators?.[method.requestValidatorId];
  if (!validator || (!validator.validateRequestBody && !validator.validateRequestParameters)) return undefined;
  const required = validator.validateRequestParameters ? requiredParameters(method.requestParameters ?? {}) : [];
  let models: ReadonlyMap<string, ValidateFunction> | undefined;
  if (validator.validateRequestBody && Object.keys(method.requestModels ?? {}).length > 0) {
    try {
      const byType = new Map<string, ValidateFunction>();
      for (const [contentType, model] of Object.entries(method.requestModels ?? {})) {
        byType.set(contentType === "$default" ? contentType : (mediaTypeOf(contentType) ?? contentType), schemas().validator(model));
      }
      models = byType;
    } catch (err) {
      const error = err instanceof GatewayError ? err : configurationError(String(err));
      return () => {
        throw error;
      };
    }
  }
  if (required.length === 0 && !models) return undefined;
  return (ex) => {
    if (required.length > 0) checkParameters(ex, required);
    if (!models) return undefined;
    const contentType = mediaTypeOf(ex.request.header("content-type")) ?? "application/json";
    const validate = models.get(contentType) ?? models.get("$default");
    return validate ? checkBody(ex, contentType, validate) : undefined;
  };
}

/** Declared `true`, sorted by the full `method.request.*` key: headers, then path, then query string (§8). */
function requiredParameters(declared: Readonly<Record<string, boolean>>): RequiredParameter[] {
  const out: RequiredParameter[] = [];
  for (const key of Object.keys(declared).sort()) {
    if (!declared[key]) continue;
    const m = /^method\.request\.(querystring|header|path)\.(.+)$/.exec(key);
    if (m) out.push({ location: m[1] as RequiredParameter["location"], name: m[2]! });
  }
  return out;
}

const blank = (value: string | null | undefined): boolean => value === undefined || value === null || value.trim() === "";

/** Each required parameter must be "included and not blank" (AWS's guide); the last of repeated values counts. */
function checkParameters(ex: Exchange, required: readonly RequiredParameter[]): void {
  let query: URLSearchParams | undefined;
  const missing: string[] = [];
  for (const { location, name } of required) {
    let value: string | null | undefined;
    if (location === "header") value = ex.request.header(name.toLowerCase());
    else if (location === "querystring") value = (query ??= queryParameters(ex.request.rawQuery)).getAll(name).at(-1);
    else value = ex.route?.pathParams[name];
    if (blank(value)) missing.push(name);
  }
  if (missing.length === 0) return;
  const message = `Missing required request parameters: [${missing.join(", ")}]`;
  ex.log?.add(`Request validation failed: ${message}`);
  throw new GatewayError("BAD_REQUEST_PARAMETERS", { message, validationErrorString: message });
}

async function checkBody(ex: Exchange, contentType: string, validate: ValidateFunction): Promise<void> {
  const text = (await readDecodedBody(ex)).toString("utf8");
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch (err) {
    return invalidBody(ex, contentType, `[${err instanceof Error ? err.message : String(err)}]`);
  }
  if (validate(value)) {
    ex.log?.add(`Request validation succeeded for content type ${contentType}`);
    return;
  }
  invalidBody(ex, contentType, validationErrorString(validate.errors ?? []));
}

function invalidBody(ex: Exchange, contentType: string, detail: string): never {
  ex.log?.add(`Request body does not match model schema for content type ${contentType}: ${detail}`);
  throw new GatewayError("BAD_REQUEST_BODY", { validationErrorString: detail });
}

/**
 * `$context.error.validationErrorString`: AWS reports the findings of its Java validator (json-schema-validator)
 * as `[finding, finding]`; the common findings are phrased as it phrases them, others as ajv does.
 */
export function validationErrorString(errors: readonly ErrorObject[]): string {
  // Missing required properties are one finding per object, listing every name.
  const findings: (string | { readonly missing: string[] })[] = [];
  const missingAt = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== "required") {
      findings.push(describe(e));
      continue;
    }
    let missing = missingAt.get(e.instancePath);
    if (!missing) {
      missing = [];
      missingAt.set(e.instancePath, missing);
      findings.push({ missing });
    }
    missing.push(String(e.params["missingProperty"]));
  }
  const text = findings.map((f) => (typeof f === "string" ? f : `object has missing required properties (${JSON.stringify([...f.missing].sort())})`));
  return `[${text.join(", ")}]`;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const data = e.data;
  switch (e.keyword) {
    case "type": {
      const allowed = Array.isArray(p["type"]) ? (p["type"] as string[]) : String(p["type"]).split(",");
      return `instance type (${typeOf(data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(allowed)})`;
    }
    case "minimum":
      return `numeric instance is lower than the required minimum (minimum: ${String(p["limit"])}, found: ${String(data)})`;
    case "maximum":
      return `numeric instance is greater than the required maximum (maximum: ${String(p["limit"])}, found: ${String(data)})`;
    case "minLength":
      return `string ${JSON.stringify(data)} is too short (length: ${String(data).length}, required minimum: ${String(p["limit"])})`;
    case "maxLength":
      return `string ${JSON.stringify(data)} is too long (length: ${String(data).length}, maximum allowed: ${String(p["limit"])})`;
    case "enum":
      return `instance value (${JSON.stringify(data)}) not found in enum (possible values: ${JSON.stringify(p["allowedValues"])})`;
    case "pattern":
      return `ECMA 262 regex ${JSON.stringify(p["pattern"])} does not match input string ${JSON.stringify(data)}`;
    case "additionalProperties":
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify([p["additionalProperty"]])}`;
    case "minItems":
      return `array is too short: must have at least ${String(p["limit"])} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    case "maxItems":
      return `array is too long: must have at most ${String(p["limit"])} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    default:
      return `${e.instancePath || "instance"} ${e.message ?? e.keyword}`;
  }
}
