// Integration request of non-proxy integrations (HTTP, MOCK): body conversion (§16.2), template selection and
// passthrough (§10.5), template rendering (§12) and parameter mapping (§10.4), with the template's
// `$context.requestOverride` values winning over mapped ones (§12.5).
import type { ContentHandling, IntegrationDoc, PassthroughBehavior } from "../../domain/rest-api.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { configurationError, GatewayError } from "../gateway-error.js";
import { RESERVED_MAPPED_HEADERS } from "./header-rules.js";
import { matchesBinaryMediaTypes, selectRequestTemplateKey } from "../mapping/media-types.js";
import { compileTemplate, TemplateError, type CompiledTemplate, type RenderOverrides } from "../mapping/template-engine.js";
import { lastValues, methodRequestView } from "../method-request.js";
import { readDecodedBody } from "../content-encoding.js";
import { buildContext } from "../request-context.js";
import { compileRequestParameters, type CompiledRequestParameters } from "./request-parameters.js";

export interface CompiledTemplates {
  /** Key → compiled template; null for an empty template (passthrough). */
  readonly byKey: Readonly<Record<string, CompiledTemplate | null>>;
  readonly count: number;
}

/** Compiles every template of a map; a template that does not parse makes every call fail with 500. */
export function compileTemplates(templates: Readonly<Record<string, string | null>> | undefined): CompiledTemplates {
  const byKey: Record<string, CompiledTemplate | null> = {};
  for (const [key, source] of Object.entries(templates ?? {})) {
    try {
      byKey[key] = source === null || source === "" ? null : compileTemplate(source);
    } catch (err) {
      if (err instanceof TemplateError) throw configurationError(err.message);
      throw err;
    }
  }
  return { byKey, count: Object.keys(byKey).length };
}

const isBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s+/g, "")) && text.replace(/\s+/g, "").length % 4 === 0;

/** `contentHandling` on the request side (§16.2). Returns the payload the template or backend sees. */
export function convertRequestPayload(raw: Buffer, binary: boolean, handling: ContentHandling | undefined): Buffer {
  if (binary && handling === "CONVERT_TO_TEXT") return Buffer.from(raw.toString("base64"));
  if (!binary && handling === "CONVERT_TO_BINARY") {
    const text = raw.toString("utf8");
    if (!isBase64(text)) throw configurationError("Unable to base64 decode the body");
    return Buffer.from(text, "base64");
  }
  return raw;
}

interface RequestMapping {
  readonly templates: CompiledTemplates;
  readonly passthrough: PassthroughBehavior;
  readonly contentHandling: ContentHandling | undefined;
  readonly parameters: CompiledRequestParameters | undefined;
}

export function compileRequestMapping(integration: IntegrationDoc): PhaseStep {
  const mapping: RequestMapping = {
    templates: compileTemplates(integration.requestTemplates),
    passthrough: integration.passthroughBehavior ?? "WHEN_NO_MATCH",
    contentHandling: integration.contentHandling,
    parameters: compileRequestParameters(integration.requestParameters),
  };
  return (ex) => mapRequest(mapping, ex);
}

async function mapRequest(mapping: RequestMapping, ex: Exchange): Promise<void> {
  const raw = await readDecodedBody(ex);
  const contentType = ex.request.header("content-type");
  const binary = matchesBinaryMediaTypes(ex.stage!.binaryMediaTypes, contentType);
  const payload = convertRequestPayload(raw, binary, mapping.contentHandling);
  ex.log?.add(`Method request body before transformations: ${raw.toString("utf8")}`);

  const key = selectRequestTemplateKey(mapping.templates.byKey, contentType);
  if (key === undefined) {
    // §10.5: WHEN_NO_MATCH passes through; WHEN_NO_TEMPLATES only when no template exists at all; NEVER never.
    const allowed = mapping.passthrough === "WHEN_NO_MATCH" || (mapping.passthrough === "WHEN_NO_TEMPLATES" && mapping.templates.count === 0);
    if (!allowed) throw new GatewayError("UNSUPPORTED_MEDIA_TYPE");
  }
  const template = key === undefined ? null : mapping.templates.byKey[key]!;
  let body = payload;
  let overrides: RenderOverrides | undefined;
  const bodyText = payload.toString("utf8");
  // A binary payload kept binary cannot go through a template (§16.2); it passes as it is.
  if (template && !(binary && mapping.contentHandling !== "CONVERT_TO_TEXT")) {
    const view = methodRequestView(ex);
    try {
      const result = template.render({
        body: bodyText,
        params: { path: view.path, querystring: lastValues(view.querystring), header: lastValues(view.header) },
        context: buildContext(ex),
        stageVariables: { ...ex.stage!.variables },
      });
      body = Buffer.from(result.output);
      overrides = result.overrides;
    } catch (err) {
      if (err instanceof TemplateError) throw configurationError(err.message);
      throw err;
    }
  }

  const mapped = mapping.parameters?.evaluate(ex, raw.toString("utf8"));
  const path = new Map(mapped?.path);
  const querystring = new Map<string, readonly string[]>(mapped?.querystring);
  const header = new Map<string, readonly [string, string]>(mapped?.header);
  if (overrides) {
    for (const [name, value] of Object.entries(overrides.request.path)) path.set(name, value);
    for (const [name, value] of Object.entries(overrides.request.querystring)) querystring.set(name, [value]);
    for (const [name, value] of Object.entries(overrides.request.header)) {
      const lower = name.toLowerCase();
      // §10.4's rule for mapped headers holds for overridden ones: API Gateway sets these itself.
      if (RESERVED_MAPPED_HEADERS.has(lower)) throw configurationError(`${name} header already present`);
      header.set(lower, [name, value]);
    }
    if (overrides.response.status !== undefined || Object.keys(overrides.response.header).length > 0) {
      ex.responseOverride = { header: { ...overrides.response.header }, ...(overrides.response.status !== undefined ? { status: overrides.response.status } : {}) };
    }
  }
  ex.endpointRequest = { body, path, querystring, header };
  ex.log?.add(`Endpoint request body after transformations: ${body.toString("utf8")}`);
}
