// The Lambda proxy event, payload format 1.0 (data-plane.md §11.1), and its REQUEST-authorizer variant (§5.3.2:
// the same event without body/isBase64Encoded, with `type` and `methodArn`). Keys are written in the order AWS
// records them.
import type { Exchange } from "../exchange.js";
import { matchesBinaryMediaTypes } from "../mapping/media-types.js";
import { buildContext } from "../request-context.js";
import { DROPPED_ON_ARRIVAL, traceHeader } from "../integrations/header-rules.js";
import { queryParameters } from "../method-request.js";

export interface ProxyEventBase {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
}

/** The header maps: names as received (the first casing seen), `headers` keeps the last value (§11.1). */
function eventHeaders(ex: Exchange, trace: string | undefined): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const raw = ex.request.rawHeaders;
  const names = new Map<string, string>();
  const multiValueHeaders: Record<string, string[]> = {};
  let forwardedFor: string | undefined;
  let traceId: string | undefined;
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    let key = names.get(lower);
    if (key === undefined) names.set(lower, (key = name));
    (multiValueHeaders[key] ??= []).push(value);
  };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROPPED_ON_ARRIVAL.has(lower)) continue; // §14.1, as for every integration
    if (lower === "x-forwarded-for") {
      forwardedFor = forwardedFor === undefined ? raw[i + 1]! : `${forwardedFor}, ${raw[i + 1]!}`;
      continue;
    }
    if (lower === "x-amzn-trace-id") {
      traceId = raw[i + 1];
      continue;
    }
    if (lower === "x-forwarded-port" || lower === "x-forwarded-proto") continue;
    add(name, raw[i + 1]!);
  }
  // HTTP/2 clients send `:authority` instead; the event always names the host.
  if (!names.has("host") && ex.request.host !== undefined) add("Host", ex.request.host);
  // The load balancer in front of API Gateway appends the client address and states the port and scheme.
  add("X-Amzn-Trace-Id", trace ?? traceHeader(traceId));
  add("X-Forwarded-For", forwardedFor === undefined ? ex.request.sourceIp : `${forwardedFor}, ${ex.request.sourceIp}`);
  add("X-Forwarded-Port", String(ex.request.localPort));
  add("X-Forwarded-Proto", "https");
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values[values.length - 1]!;
  return { headers, multiValueHeaders };
}

function eventQuery(rawQuery: string): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (rawQuery === "") return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  // URLSearchParams decodes `+` as a space and percent-escapes, as AWS does for the event (§11.1).
  for (const [name, value] of queryParameters(rawQuery)) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

/**
 * §11.1 `path`: without the stage, leading duplicate slashes collapsed, otherwise raw. Through a custom domain it is
 * the path as sent, base path included (§2.2) — why frameworks offer a "strip base path" option.
 */
function eventPath(ex: Exchange): string {
  const target = ex.target!;
  const path = (target.basePathMatched !== undefined ? target.contextPath : target.resourcePath).replace(/^\/{2,}/, "/");
  return path === "" ? "/" : path;
}

/** `requestContext`: the `$context` map as AWS serialises it into the event. */
export function eventRequestContext(ex: Exchange, withAuthorizer: boolean): Record<string, unknown> {
  const context = buildContext(ex);
  const identity = { ...(context["identity"] as Record<string, unknown>) };
  // `apiKey`/`apiKeyId` only appear in the event once an API key was checked.
  if (identity["apiKey"] === null) delete identity["apiKey"];
  if (identity["apiKeyId"] === null) delete identity["apiKeyId"];
  context["identity"] = identity;
  if (!withAuthorizer) delete context["authorizer"];
  return context;
}

/** `trace`: the X-Amzn-Trace-Id the response will carry too (one is made when absent). */
export function proxyEventBase(ex: Exchange, withAuthorizer: boolean, trace?: string): ProxyEventBase {
  const route = ex.route!;
  const { headers, multiValueHeaders } = eventHeaders(ex, trace);
  const query = eventQuery(ex.request.rawQuery);
  const pathParams = route.pathParams;
  const variables = ex.stage!.variables;
  return {
    resource: route.resource.path,
    path: eventPath(ex),
    httpMethod: ex.request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: Object.keys(pathParams).length > 0 ? { ...pathParams } : null,
    stageVariables: Object.keys(variables).length > 0 ? { ...variables } : null,
    requestContext: eventRequestContext(ex, withAuthorizer),
  };
}

/** The AWS_PROXY event for a request whose body is already read. */
export function proxyEvent(ex: Exchange, body: Buffer, trace: string): Buffer {
  const binary = body.length > 0 && matchesBinaryMediaTypes(ex.stage!.binaryMediaTypes, ex.request.header("content-type"));
  const event = {
    ...proxyEventBase(ex, true, trace),
    body: body.length === 0 ? null : binary ? body.toString("base64") : body.toString("utf8"),
    isBase64Encoded: binary,
  };
  return Buffer.from(JSON.stringify(event));
}
