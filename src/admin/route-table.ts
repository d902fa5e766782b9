// Matches management-API requests to operations. The raw path is split on "/" first and each segment is
// percent-decoded afterwards: the SDK encodes every path label as one segment (a tag ARN's "/" travels as %2F).
import type { OperationHandler } from "./operation.js";

export interface RouteSpec {
  readonly operation: string;
  readonly method: string;
  /** URI template with `{label}` segments, e.g. `/restapis/{restapi_id}/resources/{resource_id}`. */
  readonly path: string;
  /** Static query the template carries (`POST /restapis?mode=import`). */
  readonly query?: Readonly<Record<string, string>>;
  readonly handler: OperationHandler;
}

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly segments: readonly ({ literal: string } | { label: string })[];
}

export interface RouteMatch {
  readonly spec: RouteSpec;
  readonly params: Record<string, string>;
}

export class RouteTable {
  private readonly routes: CompiledRoute[] = [];

  add(specs: readonly RouteSpec[]): void {
    for (const spec of specs) {
      const segments = spec.path
        .split("/")
        .slice(1)
        .map((s) => (s.startsWith("{") && s.endsWith("}") ? { label: s.slice(1, -1) } : { literal: s }));
      this.routes.push({ spec, segments });
    }
    // Routes with a static query are more specific than the same path without one.
    this.routes.sort((a, b) => Number(b.spec.query !== undefined) - Number(a.spec.query !== undefined));
  }

  match(method: string, rawPath: string, query: URLSearchParams): RouteMatch | undefined {
    const raw = rawPath.split("/").slice(1);
    if (raw.length > 1 && raw[raw.length - 1] === "") raw.pop();
    let decoded: string[];
    try {
      decoded = raw.map((s) => decodeURIComponent(s));
    } catch {
      return undefined;
    }
    for (const route of this.routes) {
      if (route.spec.method !== method || route.segments.length !== decoded.length) continue;
      if (route.spec.query && !Object.entries(route.spec.query).every(([k, v]) => query.get(k) === v)) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < decoded.length && ok; i++) {
        const seg = route.segments[i]!;
        if ("literal" in seg) ok = seg.literal === decoded[i];
        else params[seg.label] = decoded[i]!;
      }
      if (ok) return { spec: route.spec, params };
    }
    return undefined;
  }
}
