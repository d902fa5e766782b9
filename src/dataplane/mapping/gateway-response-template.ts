// Gateway response templates (§13). They are not VTL: API Gateway only substitutes `$context.*`,
// `$stageVariables.*` and `$method.request.{path|querystring|header}.*` references (also written `${…}`);
// any other text, directives included, is emitted as is.

export interface GatewayResponseTemplateVars {
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  methodRequest: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
}

type Segment = string | ((vars: GatewayResponseTemplateVars) => string);

const REFERENCE =
  /\$!?(?:\{(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)\}|\{method\.request\.(path|querystring|header)\.([A-Za-z0-9_.-]+)\}|(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)|stageVariables\['([^']*)'\]|method\.request\.(path|querystring|header)\.([A-Za-z0-9_-]+))/g;
const CACHE_LIMIT = 500;
const compiled = new Map<string, Segment[]>();

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function ownValue(map: Record<string, unknown> | undefined, key: string): unknown {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `$context.error.messageString`: the message already quoted, or the bare word null when there is none. */
function messageString(context: Record<string, unknown>): string {
  const error = ownValue(context, "error");
  if (error === null || typeof error !== "object") return "null";
  const explicit = ownValue(error as Record<string, unknown>, "messageString");
  if (typeof explicit === "string") return explicit;
  const message = ownValue(error as Record<string, unknown>, "message");
  return message === null || message === undefined ? "null" : JSON.stringify(text(message));
}

function contextSegment(path: string[]): Segment {
  if (path.length === 2 && path[0] === "error" && path[1] === "messageString") return (vars) => messageString(vars.context);
  return (vars) => {
    let value: unknown = vars.context;
    for (const key of path) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return "";
      value = ownValue(value as Record<string, unknown>, key);
    }
    return text(value);
  };
}

function methodRequestSegment(location: "path" | "querystring" | "header", name: string): Segment {
  return (vars) => {
    const params = vars.methodRequest[location];
    if (Object.hasOwn(params, name)) return params[name]!;
    if (location !== "header") return "";
    const lower = name.toLowerCase();
    for (const key of Object.keys(params)) if (key.toLowerCase() === lower) return params[key]!;
    return "";
  };
}

function compile(template: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const m of template.matchAll(REFERENCE)) {
    if (m.index > last) segments.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const root = m[1] ?? m[5];
    const dotted = m[2] ?? m[6];
    const location = (m[3] ?? m[8]) as "path" | "querystring" | "header" | undefined;
    if (root !== undefined && dotted !== undefined) {
      const path = dotted.slice(1).split(".");
      if (root === "context") segments.push(contextSegment(path));
      else segments.push((vars) => (path.length === 1 ? text(ownValue(vars.stageVariables, path[0]!)) : ""));
    } else if (m[7] !== undefined) {
      const name = m[7];
      segments.push((vars) => text(ownValue(vars.stageVariables, name)));
    } else if (location !== undefined) {
      segments.push(methodRequestSegment(location, (m[4] ?? m[9])!));
    }
  }
  if (last < template.length) segments.push(template.slice(last));
  return segments;
}

/** Renders a gateway response template by plain substitution; missing values render as empty text. */
export function renderGatewayResponseTemplate(template: string, vars: GatewayResponseTemplateVars): string {
  let segments = compiled.get(template);
  if (segments === undefined) {
    segments = compile(template);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(template, segments);
  }
  let out = "";
  for (const segment of segments) out += typeof segment === "string" ? segment : segment(vars);
  return out;
}
