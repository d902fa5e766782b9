// Gateway responses (data-plane.md §13): the one place where a GatewayError becomes an HTTP response, applying
// the deployment's customisations with the resolution algorithm of §13.2 (the type's own entry, else
// DEFAULT_4XX/DEFAULT_5XX, else the built-in default).
import type { GatewayResponseDoc } from "../domain/rest-api.js";
import { GATEWAY_RESPONSE_TYPES, type GatewayResponseTypeName } from "../errors/gateway-response-types.js";
import type { Exchange, MethodResponse } from "./exchange.js";
import type { GatewayError } from "./gateway-error.js";
import { renderGatewayResponseTemplate } from "./mapping/gateway-response-template.js";
import { selectResponseTemplateKey } from "./mapping/media-types.js";
import { compileParameterMappings } from "./mapping/parameter-mapping.js";
import { lastValues, methodRequestView } from "./method-request.js";
import { buildContext } from "./request-context.js";

interface CustomGatewayResponse {
  readonly status: number | undefined;
  readonly parameters: ReturnType<typeof compileParameterMappings> | undefined;
  readonly templates: Readonly<Record<string, string>>;
}

export interface GatewayResponseSet {
  get(type: string): CustomGatewayResponse | undefined;
}

export const NO_GATEWAY_RESPONSES: GatewayResponseSet = { get: () => undefined };

export function compileGatewayResponses(docs: Readonly<Record<string, GatewayResponseDoc>>): GatewayResponseSet {
  const entries = Object.values(docs);
  if (entries.length === 0) return NO_GATEWAY_RESPONSES;
  const byType = new Map<string, CustomGatewayResponse>();
  for (const doc of entries) {
    const status = doc.statusCode !== undefined && /^[1-5]\d\d$/.test(doc.statusCode) ? Number(doc.statusCode) : undefined;
    const params = doc.responseParameters ?? {};
    byType.set(doc.responseType, {
      status,
      parameters: Object.keys(params).length > 0 ? compileParameterMappings(params) : undefined,
      templates: doc.responseTemplates ?? {},
    });
  }
  return { get: (type) => byType.get(type) };
}

/**
 * Types whose default body AWS writes with a space after the colon — `{"message": "Internal server error"}`,
 * `{"message": "Endpoint request timed out"}`, `{"message": null}` — as recorded byte for byte (§10.6, §18);
 * the others (`{"message":"Missing Authentication Token"}`, `{"message":"Forbidden"}`) have none.
 */
const SPACED_DEFAULT_BODY = new Set<GatewayResponseTypeName>([
  "API_CONFIGURATION_ERROR",
  "AUTHORIZER_CONFIGURATION_ERROR",
  "AUTHORIZER_FAILURE",
  "BAD_REQUEST_BODY",
  "BAD_REQUEST_PARAMETERS",
  "INTEGRATION_FAILURE",
  "INTEGRATION_TIMEOUT",
  "REQUEST_TOO_LARGE",
]);

export function renderGatewayResponse(ex: Exchange, err: GatewayError): MethodResponse {
  const type = GATEWAY_RESPONSE_TYPES[err.responseType];
  const defaultStatus = err.detail.status ?? type.status ?? 500;
  const message = err.detail.message ?? type.message;
  // `$context.error.*`, for a customised response here and for the stage's access log afterwards.
  ex.failure = {
    message,
    responseType: err.responseType,
    ...(err.detail.validationErrorString !== undefined ? { validationErrorString: err.detail.validationErrorString } : {}),
  };
  const set = ex.stage?.gatewayResponses ?? NO_GATEWAY_RESPONSES;
  // REQUEST_TOO_LARGE cannot be customised (§13.2).
  const custom =
    err.responseType === "REQUEST_TOO_LARGE"
      ? undefined
      : (set.get(err.responseType) ?? set.get(defaultStatus >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX"));
  const status = custom?.status ?? defaultStatus;
  const headers: string[] = [];
  const errorType = err.detail.errorType ?? type.errorType;
  if (errorType !== undefined) headers.push("x-amzn-ErrorType", errorType);

  if (!custom) {
    headers.push("Content-Type", "application/json");
    const separator = SPACED_DEFAULT_BODY.has(err.responseType) ? ": " : ":";
    // ACCESS_DENIED's policy denials capitalise the key: {"Message":"User is not authorized …"} (§4.4); an
    // occurrence with its own error type (a rejected access key) has AWS's usual lower-case key.
    const key = err.responseType === "ACCESS_DENIED" && err.detail.errorType === undefined ? '"Message"' : '"message"';
    return { status, headers, body: Buffer.from(`{${key}${separator}${message === null ? "null" : JSON.stringify(message)}}`) };
  }

  const context = buildContext(ex, ex.failure!);
  const stageVariables = ex.stage?.variables ?? {};
  const methodRequest = methodRequestView(ex);
  let contentType = "application/json";
  let body: string;
  const key = selectResponseTemplateKey(custom.templates, ex.request.header("accept"));
  if (key === undefined) {
    body = `{"message":${message === null ? "null" : JSON.stringify(message)}}`;
  } else {
    contentType = key;
    body = renderGatewayResponseTemplate(custom.templates[key]!, {
      context,
      stageVariables,
      methodRequest: { path: methodRequest.path, querystring: lastValues(methodRequest.querystring), header: lastValues(methodRequest.header) },
    });
  }
  let hasContentType = false;
  if (custom.parameters) {
    for (const { target, values } of custom.parameters.evaluate({ methodRequest: { ...methodRequest, body: "" }, stageVariables, context })) {
      const name = target.startsWith("gatewayresponse.header.") ? target.slice("gatewayresponse.header.".length) : undefined;
      if (name === undefined || values.length === 0) continue;
      if (name.toLowerCase() === "content-type") hasContentType = true;
      headers.push(name, values.join(","));
    }
  }
  if (!hasContentType) headers.push("Content-Type", contentType);
  return { status, headers, body: Buffer.from(body) };
}

/** 403 for a request that names no deployed API or stage (§2.1); nothing can customise it. */
export function forbiddenResponse(): MethodResponse {
  return {
    status: 403,
    headers: ["x-amzn-ErrorType", "ForbiddenException", "Content-Type", "application/json"],
    body: Buffer.from('{"message":"Forbidden"}'),
  };
}
