// `$input` of API Gateway mapping templates (§12.1).

import { queryJsonPath } from "./json-path.js";
import type { TemplateInput } from "./template-engine.js";
import { toJavaString, type VtlHostObject, type VtlMap } from "./vtl-values.js";

/** `$input` (§12.1). The body is parsed at most once per render. */
export class TemplateInputHost implements VtlHostObject {
  readonly vtlHost = true;
  private document: { ok: true; value: unknown } | { ok: false } | undefined;

  constructor(private readonly input: TemplateInput) {}

  /** An empty body reads as "{}" (AWS prints `{}` for `$input.body` and evaluates JSONPath against it). */
  private get body(): string {
    return this.input.body === "" ? "{}" : this.input.body;
  }

  private parsed(): { ok: true; value: unknown } | { ok: false } {
    if (this.document === undefined) {
      try {
        this.document = { ok: true, value: JSON.parse(this.body) as unknown };
      } catch {
        this.document = { ok: false };
      }
    }
    return this.document;
  }

  private query(path: unknown): { found: true; value: unknown } | { found: false } {
    const doc = this.parsed();
    if (!doc.ok || typeof path !== "string") return { found: false };
    return queryJsonPath(doc.value, path);
  }

  vtlProperty(name: string): unknown {
    return name === "body" ? this.body : undefined;
  }

  vtlInvoke(name: string, args: readonly unknown[]): unknown {
    switch (name) {
      case "getBody":
        return this.body;
      case "json": {
        const result = this.query(args[0] ?? "$");
        return result.found ? (JSON.stringify(result.value) ?? "") : "";
      }
      case "path": {
        const result = this.query(args[0]);
        return result.found ? result.value : null;
      }
      case "params":
        return args.length === 0 ? this.allParams() : this.param(toJavaString(args[0]));
      default:
        return undefined;
    }
  }

  private allParams(): VtlMap {
    const { path, querystring, header } = this.input.params;
    return { path: { ...path }, querystring: { ...querystring }, header: { ...header } };
  }

  /** Path, then query string, then header (§12.1); headers also match case-insensitively. */
  private param(name: string): string {
    const { path, querystring, header } = this.input.params;
    if (Object.hasOwn(path, name)) return path[name]!;
    if (Object.hasOwn(querystring, name)) return querystring[name]!;
    if (Object.hasOwn(header, name)) return header[name]!;
    const lower = name.toLowerCase();
    for (const key of Object.keys(header)) if (key.toLowerCase() === lower) return header[key]!;
    return "";
  }
}
