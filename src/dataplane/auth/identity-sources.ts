// Identity sources of Lambda authorizers (data-plane.md §5.3.1): TOKEN reads one header, REQUEST a comma list of
// `method.request.header|querystring|multivalueheader|multivaluequerystring.X`, `stageVariables.X` and
// `context.X`. Their values are the cache key; an empty value counts as missing.
import type { Exchange } from "../exchange.js";
import { buildContext } from "../request-context.js";
import { queryParameters } from "../method-request.js";

export type IdentityReader = (ex: Exchange, context: () => Record<string, unknown>) => string | undefined;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === "" ? undefined : value);

function queryValues(ex: Exchange, name: string): string[] {
  return ex.request.rawQuery === "" ? [] : queryParameters(ex.request.rawQuery).getAll(name);
}

function headerValues(ex: Exchange, name: string): string[] {
  const lower = name.toLowerCase();
  const raw = ex.request.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) out.push(raw[i + 1]!);
  return out;
}

function contextValue(context: Record<string, unknown>, path: string): string | undefined {
  let current: unknown = context;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === "string" || typeof current === "number" || typeof current === "boolean" ? String(current) : undefined;
}

/** Undefined for an expression the management API should have refused. */
export function compileIdentitySource(expression: string): IdentityReader | undefined {
  const at = (prefix: string): string | undefined => (expression.startsWith(prefix) ? expression.slice(prefix.length) : undefined);
  let name: string | undefined;
  if ((name = at("method.request.header.")) !== undefined) {
    const n = name;
    return (ex) => {
      const values = headerValues(ex, n);
      return nonEmpty(values[values.length - 1]);
    };
  }
  if ((name = at("method.request.multivalueheader.")) !== undefined) {
    const n = name;
    return (ex) => nonEmpty(headerValues(ex, n).join(","));
  }
  if ((name = at("method.request.querystring.")) !== undefined) {
    const n = name;
    return (ex) => {
      const values = queryValues(ex, n);
      return nonEmpty(values[values.length - 1]);
    };
  }
  if ((name = at("method.request.multivaluequerystring.")) !== undefined) {
    const n = name;
    return (ex) => nonEmpty(queryValues(ex, n).join(","));
  }
  if ((name = at("stageVariables.")) !== undefined) {
    const n = name;
    return (ex) => nonEmpty(ex.stage!.variables[n]);
  }
  if ((name = at("context.")) !== undefined) {
    const n = name;
    return (_ex, context) => nonEmpty(contextValue(context(), n));
  }
  return undefined;
}

/** Reads every source; `context` is built at most once, and only when a `context.X` source asks for it. */
export function readIdentity(ex: Exchange, readers: readonly IdentityReader[]): (string | undefined)[] {
  let context: Record<string, unknown> | undefined;
  const lazyContext = (): Record<string, unknown> => (context ??= buildContext(ex));
  return readers.map((read) => read(ex, lazyContext));
}
