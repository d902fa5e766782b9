// API Gateway mapping templates (§12): Velocity (velocityjs) with API Gateway's variables and the JVM's value
// semantics. Templates are parsed once (compileTemplate) and rendered per request.

import { ApiGatewayVelocity, parseTemplate, VelocityLimitError, type Asts } from "./velocity-engine.js";
import { TemplateInputHost } from "./vtl-input.js";
import { vtlUtil } from "./vtl-util.js";
import { copyData, isVtlMap, printValue, type VtlMap } from "./vtl-values.js";

export { MAX_FOREACH_ITERATIONS, MAX_ITERATIONS_PER_RENDER } from "./velocity-engine.js";

export interface TemplateParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface TemplateInput {
  /** `$input.body`: the request body (request templates) or the integration response body (response templates). */
  body: string;
  /** `$input.params()`: always the method request's parameters. */
  params: TemplateParams;
  /** The `$context` tree; requestOverride/responseOverride are added per render. */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface RenderOverrides {
  request: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
  /** status only if the template set an integer 100..599 */
  response: { header: Record<string, string>; status?: number };
}

export interface RenderResult {
  output: string;
  overrides: RenderOverrides;
}

export interface CompiledTemplate {
  /** Throws TemplateError on any failure. */
  render(input: TemplateInput): RenderResult;
}

export class TemplateError extends Error {
  override name = "TemplateError";
}

function stringEntries(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isVtlMap(value)) return out;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v !== null && v !== undefined) out[key] = printValue(v);
  }
  return out;
}

/** §12.5: a status override counts only if it is an integer in 100–599 (a numeric string is accepted too). */
function statusOverride(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function readOverrides(context: VtlMap): RenderOverrides {
  const request = isVtlMap(context["requestOverride"]) ? context["requestOverride"] : {};
  const response = isVtlMap(context["responseOverride"]) ? context["responseOverride"] : {};
  const overrides: RenderOverrides = {
    request: { header: stringEntries(request["header"]), querystring: stringEntries(request["querystring"]), path: stringEntries(request["path"]) },
    response: { header: stringEntries(response["header"]) },
  };
  const status = statusOverride(response["status"]);
  if (status !== undefined) overrides.response.status = status;
  return overrides;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Parses a mapping template once; throws TemplateError when it is not valid VTL. */
export function compileTemplate(source: string): CompiledTemplate {
  let asts: Asts;
  try {
    asts = parseTemplate(source);
  } catch (err) {
    throw new TemplateError(`Invalid mapping template: ${describe(err)}`);
  }
  const engine = new ApiGatewayVelocity(asts, { strings: new Map() });
  return {
    render(input: TemplateInput): RenderResult {
      // The template may #set or put() anywhere in $context; it works on a copy of the caller's tree.
      const context = copyData(input.context) as VtlMap;
      context["requestOverride"] = { header: {}, querystring: {}, path: {} };
      context["responseOverride"] = { header: {} };
      const variables: VtlMap = {
        input: new TemplateInputHost(input),
        util: vtlUtil,
        context,
        stageVariables: { ...input.stageVariables },
      };
      try {
        const output = engine.renderVariables(variables);
        // Reading overrides prints template-built values, which can fail too (a map containing itself).
        return { output, overrides: readOverrides(context) };
      } catch (err) {
        if (err instanceof VelocityLimitError) throw new TemplateError(err.message);
        throw new TemplateError(`Mapping template failed: ${describe(err)}`);
      }
    },
  };
}
