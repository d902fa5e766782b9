// Deployment packages on disk: `${dataDir}/functions/{name}/{shaHex}.zip` (served by GetFunction's Code.Location)
// and its unpacked task root `${dataDir}/functions/{name}/{shaHex}/`. Both survive restarts; a task root that is
// missing (e.g. removed by hand) is unpacked again from the zip on the next cold start.
// fflate: small, dependency-free, synchronous unzip with CRC checks — enough for packages of ≤ 50 MB.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { unzipSync } from "fflate";
import { ApiError, ERRORS } from "../errors/api-error.js";

const UNZIP_FAILED = "Could not unzip uploaded file. Please check your file, then try to upload again.";
/** Lambda's limit for the unzipped deployment package. */
const MAX_UNZIPPED_BYTES = 262_144_000;
/** Freshly written packages are never pruned: their function document may not have committed yet. */
export const PRUNE_GRACE_MS = 60_000;

export interface CodePackage {
  readonly zip: Buffer;
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly codeSha256: string;
  readonly shaHex: string;
  readonly codeSize: number;
}

/** Validates the zip (structure, CRCs, entry names, unzipped size) and computes Lambda's CodeSha256. */
export function readCodePackage(zip: Buffer): CodePackage {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength));
  } catch {
    throw new ApiError(ERRORS.InvalidParameterValue, UNZIP_FAILED);
  }
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    // Zip-slip: an entry must stay inside the task root.
    if (name.startsWith("/") || name.includes("\\") || name.split("/").includes("..")) throw new ApiError(ERRORS.InvalidParameterValue, UNZIP_FAILED);
    total += data.length;
    files.set(name, data);
  }
  if (total > MAX_UNZIPPED_BYTES) {
    throw new ApiError(ERRORS.InvalidParameterValue, `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
  const digest = createHash("sha256").update(zip).digest();
  return { zip, files, codeSha256: digest.toString("base64"), shaHex: digest.toString("hex"), codeSize: zip.length };
}

export const functionsRoot = (dataDir: string): string => join(dataDir, "functions");
const functionDir = (dataDir: string, name: string): string => join(functionsRoot(dataDir), name);
export const zipPath = (dataDir: string, name: string, hex: string): string => join(functionDir(dataDir, name), `${hex}.zip`);
export const taskRoot = (dataDir: string, name: string, hex: string): string => join(functionDir(dataDir, name), hex);

/**
 * A `package.json` of type commonjs at the root of all task roots: Node resolves a handler's `.js` module type from
 * the nearest package.json, and Lambda treats `.js` as CommonJS unless the package itself says "module". Without
 * this boundary a data dir inside an ES-module project would turn every CommonJS handler into an ES module.
 */
function ensureModuleBoundary(dataDir: string): void {
  const file = join(functionsRoot(dataDir), "package.json");
  if (!existsSync(file)) {
    mkdirSync(functionsRoot(dataDir), { recursive: true });
    writeFileSync(file, '{"type":"commonjs"}\n');
  }
}

/** Writes the zip and its unpacked task root (atomically: unpacked into a temporary sibling, then renamed). */
export function storeCodePackage(dataDir: string, name: string, pkg: CodePackage): void {
  ensureModuleBoundary(dataDir);
  const zipFile = zipPath(dataDir, name, pkg.shaHex);
  mkdirSync(dirname(zipFile), { recursive: true });
  if (!existsSync(zipFile)) writeAtomically(zipFile, pkg.zip);
  unpack(taskRoot(dataDir, name, pkg.shaHex), pkg.files);
}

/** The task root of a stored package, unpacking the zip again when the directory has gone. */
export function ensureTaskRoot(dataDir: string, name: string, hex: string): string {
  const root = taskRoot(dataDir, name, hex);
  if (existsSync(root)) return root;
  ensureModuleBoundary(dataDir);
  const zip = readFileSync(zipPath(dataDir, name, hex));
  unpack(root, readCodePackage(zip).files);
  return root;
}

export function readStoredZip(dataDir: string, name: string, hex: string): Buffer | undefined {
  const file = zipPath(dataDir, name, hex);
  return existsSync(file) ? readFileSync(file) : undefined;
}

/** Removes packages of `name` other than `keep` (older than a grace period); the whole folder when nothing is kept. */
/** Names of the functions that have package folders (for the start-up sweep). */
export function packagedFunctionNames(dataDir: string): string[] {
  const root = functionsRoot(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

export function prunePackages(dataDir: string, name: string, keep: ReadonlySet<string>): void {
  const dir = functionDir(dataDir, name);
  if (!existsSync(dir)) return;
  const now = Date.now();
  for (const entry of readdirSync(dir)) {
    const hex = entry.replace(/\.zip$/, "").replace(/\.tmp-.*$/, "");
    if (keep.has(hex)) continue;
    const path = join(dir, entry);
    if (now - statSync(path).mtimeMs < PRUNE_GRACE_MS) continue;
    rmSync(path, { recursive: true, force: true });
  }
  if (keep.size === 0 && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}

function writeAtomically(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function unpack(root: string, files: ReadonlyMap<string, Uint8Array>): void {
  if (existsSync(root)) return;
  const tmp = `${root}.tmp-${randomBytes(4).toString("hex")}`;
  const base = resolve(tmp) + sep;
  mkdirSync(tmp, { recursive: true });
  for (const [name, data] of files) {
    const target = resolve(tmp, name);
    if (!target.startsWith(base)) throw new ApiError(ERRORS.InvalidParameterValue, UNZIP_FAILED);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  try {
    renameSync(tmp, root);
  } catch (err) {
    // Another request unpacked the same package meanwhile: theirs is identical.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(root)) throw err;
  }
}
