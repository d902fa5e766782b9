// Parameter mappings (§10.4, §10.8 step 5, §12.7, §13): `requestParameters` of an integration,
// `responseParameters` of an integration response or gateway response. Each entry maps a target
// ("integration.request.header.X-Id") to a source expression ("method.request.querystring.id", "'literal'", …).
// Expressions are parsed once per deployment; evaluation only looks values up.

import { queryJsonPath } from "./json-path.js";

export interface MappingSources {
  methodRequest?: { path: Record<string, string>; querystring: Record<string, string[]>; header: Record<string, string[]>; body: string };
  integrationResponse?: { header: Record<string, string[]>; body: string };
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
}

/** target e.g. "integration.request.header.X-Id" or "method.response.header.Location" */
export interface MappedParameter {
  target: string;
  values: string[];
}

export interface CompiledParameterMappings {
  /** Throws MappingError (e.g. a body JSONPath on a body that is not JSON). */
  evaluate(sources: MappingSources): MappedParameter[];
}

export class MappingError extends Error {
  override name = "MappingError";
}

/** Per-evaluation state: each body is parsed at most once however many mappings read it. */
class EvaluationScope {
  private readonly documents = new Map<string, unknown>();

  constructor(readonly sources: MappingSources) {}

  json(body: string, what: string): unknown {
    if (this.documents.has(what)) return this.documents.get(what);
    let doc: unknown;
    try {
      doc = JSON.parse(body) as unknown;
    } catch {
      // LocalStack's wording; AWS's text for this case is unverified (§10.4).
      throw new MappingError(`Invalid JSON in ${what}`);
    }
    this.documents.set(what, doc);
    return doc;
  }
}

/** A source resolves to its values, or to undefined when there is nothing to map (no entry is produced). */
type Resolver = (scope: EvaluationScope) => string[] | undefined;

function lastOf(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined || values.length === 0 ? undefined : [values[values.length - 1]!];
}

/** Header names: exact match first, then case-insensitive (§10.4 recommendation for REGIONAL/HTTP/2 clients). */
function findHeader(headers: Record<string, string[]>, name: string): string[] | undefined {
  if (Object.hasOwn(headers, name)) return headers[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

function findExact<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** A mapped value as text: strings as they are, anything else (numbers, objects, lists) as JSON. */
function valueText(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return [value];
  return [JSON.stringify(value)];
}

function bodyResolver(read: (scope: EvaluationScope) => string | undefined, what: string, jsonPath: string | undefined): Resolver {
  if (jsonPath === undefined) {
    return (scope) => {
      const body = read(scope);
      return body === undefined || body === "" ? undefined : [body];
    };
  }
  return (scope) => {
    const body = read(scope);
    if (body === undefined || body === "") return undefined;
    const result = queryJsonPath(scope.json(body, what), jsonPath);
    return result.found ? valueText(result.value) : undefined;
  };
}

function contextResolver(path: string[]): Resolver {
  return (scope) => {
    let value: unknown = scope.sources.context;
    for (const key of path) {
      if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return valueText(value);
  };
}

const METHOD_PARAMETER = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/;
const INTEGRATION_HEADER = /^integration\.response\.(header|multivalueheader)\.(.+)$/;

function compileSource(expression: string, target: string): Resolver {
  const source = expression.trim();
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) {
    const literal = [source.slice(1, -1)];
    return () => literal;
  }
  const method = METHOD_PARAMETER.exec(source);
  if (method !== null) {
    const location = method[1]!;
    const name = method[2]!;
    switch (location) {
      case "path":
        return (s) => {
          const value = s.sources.methodRequest === undefined ? undefined : findExact(s.sources.methodRequest.path, name);
          return value === undefined ? undefined : [value];
        };
      case "querystring":
        return (s) => lastOf(s.sources.methodRequest === undefined ? undefined : findExact(s.sources.methodRequest.querystring, name));
      case "multivaluequerystring":
        return (s) => {
          const values = s.sources.methodRequest === undefined ? undefined : findExact(s.sources.methodRequest.querystring, name);
          return values === undefined || values.length === 0 ? undefined : [...values];
        };
      case "header":
        return (s) => lastOf(s.sources.methodRequest === undefined ? undefined : findHeader(s.sources.methodRequest.header, name));
      default:
        return (s) => {
          const values = s.sources.methodRequest === undefined ? undefined : findHeader(s.sources.methodRequest.header, name);
          return values === undefined || values.length === 0 ? undefined : [values.join(",")];
        };
    }
  }
  const integration = INTEGRATION_HEADER.exec(source);
  if (integration !== null) {
    const name = integration[2]!;
    if (integration[1] === "header") return (s) => lastOf(s.sources.integrationResponse === undefined ? undefined : findHeader(s.sources.integrationResponse.header, name));
    return (s) => {
      const values = s.sources.integrationResponse === undefined ? undefined : findHeader(s.sources.integrationResponse.header, name);
      return values === undefined || values.length === 0 ? undefined : [values.join(",")];
    };
  }
  if (source === "method.request.body" || source.startsWith("method.request.body.")) {
    const path = source === "method.request.body" ? undefined : `$.${source.slice("method.request.body.".length)}`;
    return bodyResolver((s) => s.sources.methodRequest?.body, "request body", path);
  }
  if (source === "integration.response.body" || source.startsWith("integration.response.body.")) {
    const path = source === "integration.response.body" ? undefined : `$.${source.slice("integration.response.body.".length)}`;
    return bodyResolver((s) => s.sources.integrationResponse?.body, "integration response body", path);
  }
  if (source.startsWith("stageVariables.") && source.length > "stageVariables.".length) {
    const name = source.slice("stageVariables.".length);
    return (s) => {
      const value = findExact(s.sources.stageVariables, name);
      return value === undefined ? undefined : [value];
    };
  }
  if (source.startsWith("context.") && source.length > "context.".length) {
    return contextResolver(source.slice("context.".length).split("."));
  }
  throw new MappingError(`Invalid mapping expression specified: ${source} for ${target}`);
}

/** Whether `expression` is one of the documented source forms (what the management API accepts on write). */
export function isMappingSource(expression: string): boolean {
  try {
    compileSource(expression, "");
    return true;
  } catch (err) {
    if (err instanceof MappingError) return false;
    throw err;
  }
}

/**
 * Parses every source expression of a mapping; throws MappingError for an expression that is not one of the
 * documented forms (the management API rejects those on write, so this only happens with imported data).
 */
export function compileParameterMappings(mappings: Record<string, string>): CompiledParameterMappings {
  const compiled = Object.keys(mappings).map((target) => ({ target, resolve: compileSource(mappings[target]!, target) }));
  return {
    evaluate(sources: MappingSources): MappedParameter[] {
      const scope = new EvaluationScope(sources);
      const out: MappedParameter[] = [];
      for (const { target, resolve } of compiled) {
        const values = resolve(scope);
        if (values !== undefined) out.push({ target, values });
      }
      return out;
    },
  };
}
