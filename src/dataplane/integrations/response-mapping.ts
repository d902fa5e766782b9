// Integration response → method response for non-proxy integrations (data-plane.md §10.8): select the
// integration response by the backend status (Java whole-string regex, first created wins, else the default),
// map headers from an empty set, choose and render the response template by the request's Accept, convert
// binary payloads (§16.2), apply `$context.responseOverride`, then the header rules of §14.2.
import { headerIn } from "../header-list.js";
import type { ContentHandling, IntegrationDoc } from "../../domain/rest-api.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { configurationError } from "../gateway-error.js";
import { firstAcceptType, matchesBinaryMediaTypes, selectResponseTemplateKey } from "../mapping/media-types.js";
import { compileParameterMappings, MappingError } from "../mapping/parameter-mapping.js";
import { compileSelectionPattern } from "../mapping/selection-pattern.js";
import { TemplateError } from "../mapping/template-engine.js";
import { lastValues, methodRequestView } from "../method-request.js";
import { buildContext } from "../request-context.js";
import { REMAPPED_FROM_MAPPING, REMAPPED_FROM_MOCK, traceHeader } from "./header-rules.js";
import { compileTemplates, type CompiledTemplates } from "./request-mapping.js";

interface CompiledIntegrationResponse {
  readonly statusCode: number;
  readonly matches: ((value: string) => boolean) | undefined;
  readonly parameters: ReturnType<typeof compileParameterMappings> | undefined;
  readonly templates: CompiledTemplates;
  readonly contentHandling: ContentHandling | undefined;
}

interface ResponseMapping {
  readonly selectable: readonly CompiledIntegrationResponse[];
  readonly fallback: CompiledIntegrationResponse | undefined;
  readonly remapped: ReadonlySet<string>;
  readonly addTraceId: boolean;
}

export function compileResponseMapping(integration: IntegrationDoc): PhaseStep {
  const ordered = Object.values(integration.integrationResponses ?? {}).sort((a, b) => a.seq - b.seq);
  const compiled = ordered.map((doc): CompiledIntegrationResponse => {
    let parameters: CompiledIntegrationResponse["parameters"];
    try {
      parameters = doc.responseParameters && Object.keys(doc.responseParameters).length > 0 ? compileParameterMappings({ ...doc.responseParameters }) : undefined;
    } catch (err) {
      throw configurationError(err instanceof Error ? err.message : String(err));
    }
    return {
      statusCode: Number(doc.statusCode),
      matches: doc.selectionPattern ? compileSelectionPattern(doc.selectionPattern) : undefined,
      parameters,
      templates: compileTemplates(doc.responseTemplates),
      contentHandling: doc.contentHandling,
    };
  });
  const mapping: ResponseMapping = {
    selectable: compiled.filter((r) => r.matches !== undefined),
    fallback: compiled.find((r) => r.matches === undefined),
    remapped: integration.type === "MOCK" ? REMAPPED_FROM_MOCK : REMAPPED_FROM_MAPPING,
    addTraceId: integration.type !== "MOCK",
  };
  return (ex) => mapResponse(mapping, ex);
}

function mapResponse(mapping: ResponseMapping, ex: Exchange): void {
  const endpoint = ex.endpointResponse!;
  const selectionValue = endpoint.selectionValue ?? String(endpoint.status);
  const selected = mapping.selectable.find((r) => r.matches!(selectionValue)) ?? mapping.fallback;
  if (!selected) {
    throw configurationError(
      `No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${endpoint.status}`,
    );
  }
  const stage = ex.stage!;
  const context = buildContext(ex);
  const endpointHeaders: Record<string, string[]> = {};
  for (let i = 0; i < endpoint.headers.length; i += 2) (endpointHeaders[endpoint.headers[i]!] ??= []).push(endpoint.headers[i + 1]!);
  const endpointText = endpoint.body.toString("utf8");

  // Headers start empty: only mapped ones reach the client (§10.8 step 5).
  const headers = new Map<string, [string, string]>();
  if (selected.parameters) {
    try {
      for (const { target, values } of selected.parameters.evaluate({
        integrationResponse: { header: endpointHeaders, body: endpointText },
        stageVariables: { ...stage.variables },
        context,
      })) {
        if (!target.startsWith("method.response.header.")) continue;
        const name = target.slice("method.response.header.".length);
        headers.set(name.toLowerCase(), [name, values.join(",")]);
      }
    } catch (err) {
      if (err instanceof MappingError) throw configurationError(err.message);
      throw err;
    }
  }

  const accept = ex.request.header("accept");
  const acceptBinary = matchesBinaryMediaTypes(stage.binaryMediaTypes, firstAcceptType(accept));
  const payloadBinary = matchesBinaryMediaTypes(stage.binaryMediaTypes, endpointHeaders["content-type"]?.[0] ?? headerIn(endpoint.headers, "content-type"));
  const handling = selected.contentHandling;
  let body = endpoint.body;
  let status = selected.statusCode;
  let overrideStatus = ex.responseOverride?.status;
  const overrideHeaders: Record<string, string> = { ...(ex.responseOverride?.header ?? {}) };

  // §16.2 response side: the payload stays bytes, becomes base64 text, or is base64-decoded.
  const toText = payloadBinary && (handling === "CONVERT_TO_TEXT" || (handling === undefined && !acceptBinary));
  const toBinary = !payloadBinary && (handling === "CONVERT_TO_BINARY" || (handling === undefined && acceptBinary));
  if (toText) body = Buffer.from(endpoint.body.toString("base64"));
  const keepBytes = payloadBinary && !toText;

  const key = keepBytes ? undefined : selectResponseTemplateKey(selected.templates.byKey, accept);
  const template = key === undefined ? null : selected.templates.byKey[key]!;
  if (template) {
    const view = methodRequestView(ex);
    try {
      const result = template.render({
        body: body.toString("utf8"),
        params: { path: view.path, querystring: lastValues(view.querystring), header: lastValues(view.header) },
        context,
        stageVariables: { ...stage.variables },
      });
      body = Buffer.from(result.output);
      if (result.overrides.response.status !== undefined) overrideStatus = result.overrides.response.status;
      Object.assign(overrideHeaders, result.overrides.response.header);
    } catch (err) {
      if (err instanceof TemplateError) throw configurationError(err.message);
      throw err;
    }
  }
  if (toBinary) {
    const text = body.toString("utf8").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw configurationError("Unable to base64 decode the body");
    body = Buffer.from(text, "base64");
  }
  if (overrideStatus !== undefined) status = overrideStatus;
  for (const [name, value] of Object.entries(overrideHeaders)) headers.set(name.toLowerCase(), [name, value]);

  const out: string[] = [];
  let hasContentType = false;
  for (const [lower, [name, value]] of headers) {
    if (lower === "transfer-encoding") continue;
    if (mapping.remapped.has(lower)) {
      out.push(`x-amzn-Remapped-${name}`, value);
      continue;
    }
    if (lower === "content-type") hasContentType = true;
    out.push(name, value);
  }
  if (!hasContentType) out.push("Content-Type", "application/json");
  if (mapping.addTraceId && status < 400) out.push("X-Amzn-Trace-Id", traceHeader(ex.request.header("x-amzn-trace-id")));
  ex.log?.add(`Method response body after transformations: ${body.toString("utf8")}`);
  ex.methodResponse = { status, headers: out, body };
}
