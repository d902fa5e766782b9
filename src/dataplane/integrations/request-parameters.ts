// An integration's requestParameters (data-plane.md §10.4), compiled once per stage into one function per
// method. Only the parts of the method request that the expressions read are assembled per request, so a proxy
// that maps `{proxy}` from the path pays for nothing else.
import type { Exchange } from "../exchange.js";
import { configurationError } from "../gateway-error.js";
import { compileParameterMappings, MappingError, type MappingSources } from "../mapping/parameter-mapping.js";
import { methodRequestView } from "../method-request.js";
import { buildContext } from "../request-context.js";
import { RESERVED_MAPPED_HEADERS } from "./header-rules.js";
import { NO_PARAMETERS, type MappedParameters } from "./mapped-parameters.js";

export interface CompiledRequestParameters {
  /** Whether an expression reads the body (then the body is read before evaluation). */
  readonly needsBody: boolean;
  evaluate(ex: Exchange, body: string): MappedParameters;
}

const TARGET = /^integration\.request\.(path|querystring|header)\.(.+)$/;

/** Throws the GatewayError every call of a misconfigured integration fails with. */
export function compileRequestParameters(map: Readonly<Record<string, string>> | undefined): CompiledRequestParameters | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  for (const target of Object.keys(map)) {
    const m = TARGET.exec(target);
    if (m && m[1] === "header" && RESERVED_MAPPED_HEADERS.has(m[2]!.toLowerCase())) {
      throw configurationError(`${m[2]} header already present`);
    }
  }
  let mappings: ReturnType<typeof compileParameterMappings>;
  try {
    mappings = compileParameterMappings({ ...map });
  } catch (err) {
    throw configurationError(err instanceof Error ? err.message : String(err));
  }
  const pathOnly = pathOnlyMapping(map);
  if (pathOnly) return pathOnly;
  const sources = Object.values(map).join("\n");
  const needsBody = sources.includes("method.request.body");
  const needsContext = sources.includes("context.");
  const needsView = /method\.request\.(querystring|multivaluequerystring|header|multivalueheader)\./.test(sources);
  return {
    needsBody,
    evaluate(ex, body) {
      const view = needsView
        ? methodRequestView(ex)
        : { path: ex.route?.pathParams ?? {}, querystring: {}, header: {} };
      const input: MappingSources = {
        methodRequest: { path: { ...view.path }, querystring: view.querystring, header: view.header, body },
        stageVariables: { ...(ex.stage?.variables ?? {}) },
        context: needsContext ? buildContext(ex) : {},
      };
      let mapped;
      try {
        mapped = mappings.evaluate(input);
      } catch (err) {
        if (err instanceof MappingError) throw configurationError(err.message);
        throw err;
      }
      const path = new Map<string, string>();
      const querystring = new Map<string, string[]>();
      const header = new Map<string, readonly [string, string]>();
      for (const { target, values } of mapped) {
        const m = TARGET.exec(target);
        if (!m) continue;
        const name = m[2]!;
        if (m[1] === "path") path.set(name, values[values.length - 1]!);
        else if (m[1] === "querystring") querystring.set(name, values);
        else header.set(name.toLowerCase(), [name, values.join(",")]);
      }
      return { path, querystring, header };
    },
  };
}

const PATH_TO_PATH_TARGET = /^integration\.request\.path\.(.+)$/;
const PATH_SOURCE = /^method\.request\.path\.(.+)$/;

/**
 * The common proxy shape — every target a backend path placeholder fed from a method path parameter
 * (`integration.request.path.proxy ← method.request.path.proxy`) — evaluated by copying the matched values: the
 * general evaluation would assemble the method request, stage variables and a result list for the same answer.
 */
function pathOnlyMapping(map: Readonly<Record<string, string>>): CompiledRequestParameters | undefined {
  const pairs: (readonly [target: string, source: string])[] = [];
  for (const [target, source] of Object.entries(map)) {
    const t = PATH_TO_PATH_TARGET.exec(target);
    const s = PATH_SOURCE.exec(source);
    if (!t || !s) return undefined;
    pairs.push([t[1]!, s[1]!]);
  }
  return {
    needsBody: false,
    evaluate(ex) {
      const params = ex.route?.pathParams ?? {};
      const path = new Map<string, string>();
      // A parameter the route did not capture maps to nothing, as in the general evaluation.
      for (const [target, source] of pairs) if (Object.hasOwn(params, source)) path.set(target, params[source]!);
      return { path, querystring: NO_PARAMETERS.querystring, header: NO_PARAMETERS.header };
    },
  };
}
