// Input checks shared by the method, method-response, integration and integration-response operations:
// path labels (method address, verb, status code), references to other parts of the API (models, authorizers, validators),
// and the keys of parameter and template maps — each with AWS's wording (control-plane.md §7).
import { badRequest, validationError, type ApiError } from "../errors/api-error.js";
import { HTTP_METHODS, type AuthorizationType, type HttpMethod, type RestApiDoc } from "../domain/rest-api.js";
import type { OpRequest } from "./operation.js";
import { isMappingSource } from "../dataplane/mapping/parameter-mapping.js";

/** The path labels that address a method: `/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}`. */
export interface MethodLabels {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
}

export function methodLabels(req: OpRequest): MethodLabels {
  return { restApiId: req.params["restapi_id"]!, resourceId: req.params["resource_id"]!, httpMethod: req.params["http_method"]! };
}

export const AUTHORIZATION_TYPES: readonly AuthorizationType[] = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"];

export function isHttpMethod(verb: string): verb is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(verb);
}

export const invalidHttpMethod = (): ApiError =>
  badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(",")}`);

/** The `{status_code}` label of method and integration responses: `[1-5]\d\d`, checked before anything else. */
export function checkStatusCodeLabel(statusCode: string): void {
  if (!/^[1-5]\d\d$/.test(statusCode)) {
    throw validationError([
      `Value '${statusCode}' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`,
    ]);
  }
}

/** CUSTOM and COGNITO_USER_POOLS methods need an authorizer of the same API. */
export function checkAuthorizer(api: RestApiDoc, authorizationType: AuthorizationType, authorizerId: string | undefined): void {
  if (authorizationType !== "CUSTOM" && authorizationType !== "COGNITO_USER_POOLS") return;
  if (authorizerId === undefined || !Object.hasOwn(api.authorizers, authorizerId)) {
    throw badRequest(
      "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
    );
  }
}

export function checkRequestValidator(api: RestApiDoc, requestValidatorId: string): void {
  if (!Object.hasOwn(api.requestValidators, requestValidatorId)) throw badRequest("Invalid Request Validator identifier specified");
}

export function checkModelName(api: RestApiDoc, modelName: string): void {
  if (!Object.hasOwn(api.models, modelName)) throw badRequest(`Invalid model identifier specified: ${modelName}`);
}

/** Model maps are keyed by media type, or `$default` for a model that applies whatever the content type. */
export function checkModelMap(api: RestApiDoc, models: Record<string, string> | undefined): void {
  for (const name of Object.values(models ?? {})) checkModelName(api, name);
  checkContentTypes(Object.keys(models ?? {}).filter((k) => k !== "$default"));
}

const CONTENT_TYPE = /^[^\s/;]+\/[^\s/;]+(?:\s*;.*)?$/;

/** Template and model maps are keyed by media type (`application/json`). */
export function checkContentTypes(keys: readonly string[]): void {
  const bad = keys.find((k) => !CONTENT_TYPE.test(k));
  if (bad !== undefined) throw badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${bad}]`);
}

const METHOD_REQUEST_PARAMETER = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/;

export const invalidMappingExpression = (expression: string): ApiError =>
  badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${expression}]`);

/**
 * Parameter-mapping values must be source expressions ('static', method.request.*, stageVariables.*, context.*,
 * integration.response.*). AWS refuses anything else on write — most often a static value sent without its
 * single quotes — rather than failing every call later.
 */
export function checkMappingSources(parameters: Readonly<Record<string, string>> | undefined): void {
  for (const source of Object.values(parameters ?? {})) {
    if (!isMappingSource(source)) throw invalidMappingExpression(source);
  }
}

export function checkMethodRequestParameterName(name: string): void {
  if (!METHOD_REQUEST_PARAMETER.test(name)) throw invalidMappingExpression(name);
}

/**
 * Method.requestParameters: `method.request.{location}.{name}` → required flag. A non-boolean value is reported as
 * a bad mapping expression (recorded on AWS with a string value); one name may not appear in two locations.
 */
export function readMethodRequestParameters(raw: Record<string, unknown> | undefined): Record<string, boolean> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(raw)) {
    checkMethodRequestParameterName(name);
    if (typeof value !== "boolean") throw invalidMappingExpression(String(value));
    out[name] = value;
  }
  checkUniqueParameterNames(out);
  return out;
}

export function checkUniqueParameterNames(parameters: Record<string, boolean> | undefined): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(parameters ?? {})) {
    const m = METHOD_REQUEST_PARAMETER.exec(key);
    if (!m) continue;
    // multi-value variants share their single-value location.
    const location = m[1]!.replace("multivalue", "");
    const previous = seen.get(m[2]!);
    if (previous !== undefined && previous !== location) {
      throw badRequest("Parameter names must be unique across querystring, header and path");
    }
    seen.set(m[2]!, location);
  }
}

const METHOD_RESPONSE_HEADER = /^method\.response\.header\..+$/;

export function checkMethodResponseParameterName(name: string): void {
  if (!METHOD_RESPONSE_HEADER.test(name)) throw invalidMappingExpression(name);
}
