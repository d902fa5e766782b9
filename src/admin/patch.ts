// PATCH operations (`patchOperations`) as AWS API Gateway accepts them: JSON-Pointer-like paths with `~1`/`~0`
// escapes, string values converted by the server, validation errors in AWS's exact wording.
import { ApiError, ERRORS, badRequest, validationError, enumClause } from "../errors/api-error.js";

export type PatchOpName = "add" | "remove" | "replace" | "move" | "copy" | "test";
const OPS: readonly PatchOpName[] = ["add", "remove", "move", "test", "replace", "copy"];

export interface PatchOp {
  readonly op: PatchOpName;
  readonly path: string;
  readonly value?: string;
  readonly from?: string;
}

/** Reads `patchOperations`; any op outside the enum fails the whole request first (ValidationException). */
export function readPatchOperations(body: Record<string, unknown>, inputShape: string): PatchOp[] {
  const raw = body["patchOperations"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ApiError(ERRORS.Serialization, "class java.util.LinkedHashMap can not be converted to an List");
  const clauses: string[] = [];
  const ops: PatchOp[] = [];
  raw.forEach((item: unknown, i: number) => {
    const o = (item ?? {}) as Record<string, unknown>;
    if (!OPS.includes(o["op"] as PatchOpName)) {
      clauses.push(enumClause(o["op"] ?? null, `${inputShape}.patchOperations.${i + 1}.member.op`, OPS));
      return;
    }
    for (const k of ["path", "value", "from"] as const) {
      if (o[k] !== undefined && o[k] !== null && typeof o[k] !== "string") {
        throw new ApiError(ERRORS.Serialization, `class java.lang.${typeof o[k] === "boolean" ? "Boolean" : "Integer"} can not be converted to an String`);
      }
    }
    ops.push({
      op: o["op"] as PatchOpName,
      path: typeof o["path"] === "string" ? o["path"] : "",
      ...(typeof o["value"] === "string" ? { value: o["value"] } : {}),
      ...(typeof o["from"] === "string" ? { from: o["from"] } : {}),
    });
  });
  if (clauses.length) throw validationError(clauses);
  return ops;
}

/** `/a/b~1c` → ["a", "b/c"]. */
export function splitPatchPath(path: string): string[] {
  if (!path.startsWith("/")) return [path];
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

export function escapePathSegment(s: string): string {
  return s.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** `Invalid patch path /x` family (RestApi, Method, MethodResponse, GatewayResponse). */
export const invalidPatchPath = (path: string | undefined): ApiError => badRequest(`Invalid patch path ${path || "null"}`);

/** `Invalid patch path  '/x' specified for op 'y'. Must be one of: [...]` family (note AWS's two spaces). */
export function invalidPatchPathFor(op: PatchOp, allowed: readonly string[]): ApiError {
  return badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Must be one of: [${allowed.join(", ")}]`);
}

export function unsupportedOpFor(op: PatchOp): ApiError {
  return badRequest(`Invalid patch path  '${op.path}' specified for op '${op.op}'. Please choose supported operations`);
}

export const replaceOnly = (): ApiError => badRequest("Invalid patch operation specified. Must be one of: [replace]");

export function requireValue(op: PatchOp): string {
  if (op.value === undefined) throw badRequest(`Invalid null or empty value in ${op.path}`);
  return op.value;
}

export function patchBool(op: PatchOp): boolean {
  const v = requireValue(op).toLowerCase();
  if (v !== "true" && v !== "false") throw badRequest(`Invalid boolean value ${op.value} for ${op.path}`);
  return v === "true";
}

export function patchInt(op: PatchOp): number {
  const v = requireValue(op);
  if (!/^-?\d+$/.test(v.trim())) throw badRequest(`Invalid integer value ${v} for ${op.path}`);
  return Number(v);
}

export function patchNumber(op: PatchOp): number {
  const v = requireValue(op);
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw badRequest(`Invalid number value ${v} for ${op.path}`);
  return n;
}
