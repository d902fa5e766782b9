// An HTTP integration's `uri`, compiled once per stage: stage variables substituted (`${stageVariables.x}`,
// partial substitution allowed, data-plane.md §12.4), then split into origin, a path with `{name}` placeholders
// filled per request from `integration.request.path.name`, and the URI's own query string.
import { configurationError } from "../gateway-error.js";

export type PathPart = string | { readonly param: string };

export interface BackendUri {
  /** `http://host:port`, the key of the connection pool. */
  readonly origin: string;
  readonly secure: boolean;
  readonly path: readonly PathPart[];
  /** The URI's own query (without `?`), "" when none. */
  readonly query: string;
}

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;
const URI = /^(https?):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i;

export function substituteStageVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(STAGE_VARIABLE, (_, name: string) => variables[name] ?? "");
}

/** Throws the configuration error AWS reports for an unusable endpoint (§10.6). */
export function compileBackendUri(uri: string, variables: Readonly<Record<string, string>>): BackendUri {
  const resolved = substituteStageVariables(uri, variables);
  const m = URI.exec(resolved);
  if (!m) throw configurationError("Invalid endpoint address");
  const scheme = m[1]!.toLowerCase();
  let origin: string;
  try {
    origin = new URL(`${scheme}://${m[2]}`).origin;
  } catch {
    throw configurationError("Invalid endpoint address");
  }
  const path: PathPart[] = [];
  const rawPath = m[3] || "/";
  let last = 0;
  for (const match of rawPath.matchAll(/\{([A-Za-z0-9._$-]+?)\+?\}/g)) {
    if (match.index > last) path.push(rawPath.slice(last, match.index));
    path.push({ param: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < rawPath.length) path.push(rawPath.slice(last));
  return { origin, secure: scheme === "https", path, query: m[4] ?? "" };
}

/** The backend path for one request; a placeholder without a mapped value is a configuration error. */
export function renderBackendPath(uri: BackendUri, values: ReadonlyMap<string, string>): string {
  if (uri.path.length === 1 && typeof uri.path[0] === "string") return uri.path[0];
  let out = "";
  for (const part of uri.path) {
    if (typeof part === "string") out += part;
    else {
      const value = values.get(part.param);
      if (value === undefined) throw configurationError(`Unable to resolve path parameter ${part.param} of the endpoint URI`);
      out += value;
    }
  }
  return out;
}
