import { JSONPath } from "jsonpath-plus";

// JSONPath as API Gateway evaluates it (Jayway): a *definite* path (only names and indexes) yields one value,
// or nothing; an *indefinite* path (wildcard, deep scan, filter, union, slice) always yields a list.

export type JsonPathResult = { found: true; value: unknown } | { found: false };

type Step = { kind: "name"; name: string } | { kind: "index"; index: number } | { kind: "length" };

const NOT_FOUND: JsonPathResult = { found: false };
const SIMPLE_STEP = /^(?:\.length\(\)$|\.([A-Za-z0-9_$-]+)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(-?\d+)\])/;
const PARSED_LIMIT = 2000;
const parsedPaths = new Map<string, Step[] | null>();

/** Jayway accepts paths without the leading "$" ("a.b" means "$.a.b"). */
export function normaliseJsonPath(path: string): string {
  const trimmed = path.trim();
  if (trimmed.startsWith("$")) return trimmed;
  if (trimmed.startsWith("[")) return `$${trimmed}`;
  return `$.${trimmed}`;
}

/** Steps of a definite path, or null when the path needs the general evaluator. */
function parseSimplePath(path: string): Step[] | null {
  const cached = parsedPaths.get(path);
  if (cached !== undefined) return cached;
  let steps: Step[] | null = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = SIMPLE_STEP.exec(rest);
    if (m === null) {
      steps = null;
      break;
    }
    if (m[1] !== undefined) steps.push({ kind: "name", name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: "name", name: m[2].replace(/\\(.)/g, "$1") });
    else if (m[3] !== undefined) steps.push({ kind: "name", name: m[3].replace(/\\(.)/g, "$1") });
    else if (m[4] !== undefined) steps.push({ kind: "index", index: Number(m[4]) });
    else steps.push({ kind: "length" });
    rest = rest.slice(m[0].length);
  }
  if (parsedPaths.size >= PARSED_LIMIT) parsedPaths.clear();
  parsedPaths.set(path, steps);
  return steps;
}

function walk(doc: unknown, steps: readonly Step[]): JsonPathResult {
  let current = doc;
  for (const step of steps) {
    if (step.kind === "length") {
      if (!Array.isArray(current)) return NOT_FOUND;
      current = current.length;
    } else if (step.kind === "index") {
      if (!Array.isArray(current)) return NOT_FOUND;
      // Jayway: a negative index counts from the end.
      const index = step.index < 0 ? current.length + step.index : step.index;
      if (index < 0 || index >= current.length) return NOT_FOUND;
      current = current[index];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return NOT_FOUND;
      if (!Object.hasOwn(current, step.name)) return NOT_FOUND;
      current = (current as Record<string, unknown>)[step.name];
    }
  }
  return { found: true, value: current };
}

/** Evaluates a JSONPath expression against an already parsed JSON document. */
export function queryJsonPath(doc: unknown, path: string): JsonPathResult {
  const normalised = normaliseJsonPath(path);
  const steps = parseSimplePath(normalised);
  if (steps !== null) return walk(doc, steps);
  if (doc === null || typeof doc !== "object") return { found: true, value: [] };
  // The path is indefinite (or uses syntax beyond names and indexes): the general evaluator, whose filter
  // expressions run in its sandboxed "safe" mode, never through eval().
  const values: unknown[] = JSONPath({ path: normalised, json: doc, wrap: true, eval: "safe" });
  return { found: true, value: values };
}
