import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { ApiError } from "../../src/errors/api-error.js";
import { ensureTaskRoot, prunePackages, readCodePackage, storeCodePackage, taskRoot, zipPath } from "../../src/lambda/code-package.js";

const zipOf = (files: Record<string, string>): Buffer =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new TextEncoder().encode(v)]))));

describe("deployment packages", () => {
  test("CodeSha256 is the base64 SHA-256 of the zip and the files are listed without directories", () => {
    const pkg = readCodePackage(zipOf({ "index.js": "x", "lib/a.js": "y" }));
    assert.match(pkg.codeSha256, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(pkg.codeSha256, "base64").toString("hex"), pkg.shaHex);
    assert.deepEqual([...pkg.files.keys()].sort(), ["index.js", "lib/a.js"]);
  });

  test("bytes that are not a zip, and entries escaping the task root, are refused with AWS's unzip message", () => {
    for (const zip of [Buffer.from("not a zip"), zipOf({ "../evil.js": "x" })]) {
      assert.throws(() => readCodePackage(zip), (err: ApiError) => {
        assert.equal(err.kind.type, "InvalidParameterValueException");
        assert.equal(err.message, "Could not unzip uploaded file. Please check your file, then try to upload again.");
        return true;
      });
    }
  });

  test("a stored package is unpacked again from its zip when the task root has gone; old packages are pruned", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tollgate-pkg-"));
    try {
      const v1 = readCodePackage(zipOf({ "index.js": "v1" }));
      const v2 = readCodePackage(zipOf({ "index.js": "v2" }));
      storeCodePackage(dataDir, "fn", v1);
      storeCodePackage(dataDir, "fn", v2);
      // A CommonJS boundary above every task root (see ensureModuleBoundary).
      assert.equal(readFileSync(join(dataDir, "functions", "package.json"), "utf8").trim(), '{"type":"commonjs"}');
      rmSync(taskRoot(dataDir, "fn", v2.shaHex), { recursive: true });
      assert.equal(readFileSync(join(ensureTaskRoot(dataDir, "fn", v2.shaHex), "index.js"), "utf8"), "v2");

      prunePackages(dataDir, "fn", new Set([v2.shaHex]));
      assert.ok(existsSync(zipPath(dataDir, "fn", v1.shaHex)), "young packages survive (their function may not be committed yet)");
      const old = new Date(Date.now() - 120_000);
      for (const p of [zipPath(dataDir, "fn", v1.shaHex), taskRoot(dataDir, "fn", v1.shaHex)]) utimesSync(p, old, old);
      prunePackages(dataDir, "fn", new Set([v2.shaHex]));
      assert.equal(existsSync(zipPath(dataDir, "fn", v1.shaHex)), false);
      assert.equal(existsSync(taskRoot(dataDir, "fn", v1.shaHex)), false);
      assert.ok(existsSync(zipPath(dataDir, "fn", v2.shaHex)));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
