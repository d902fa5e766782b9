// One patch op on a map member addressed as `/{map}/{key}` (requestParameters, requestTemplates, responseModels …):
// add and replace set the entry, remove deletes it; a map left empty becomes absent, as AWS then omits it.
import { invalidPatchPath, type PatchOp } from "./patch.js";

export function patchMapEntry<V>(map: Record<string, V> | undefined, op: PatchOp, key: string, value: () => V): Record<string, V> | undefined {
  const out = { ...(map ?? {}) };
  if (op.op === "add" || op.op === "replace") out[key] = value();
  else if (op.op === "remove") delete out[key];
  else throw invalidPatchPath(op.path);
  return Object.keys(out).length ? out : undefined;
}
