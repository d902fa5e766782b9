// The AWS CLI forms of conformance rows 47 (get-export) and 48 (import-rest-api) (sdk-conformance.md §I). The CLI
// sends the raw document without a Content-Type and writes the exported body to the outfile argument.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { runAwsCli, type CliResult } from "../helpers/aws-cli.js";
import { createDeployedPetsApi } from "../helpers/fixtures.js";


describe("AWS CLI: OpenAPI export and import", () => {
  let t: TestGateway;
  let dir: string;
  before(async () => {
    t = await startTestGateway();
    dir = mkdtempSync(join(tmpdir(), "tollgate-cli-openapi-"));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = (...args: string[]): Promise<CliResult> => runAwsCli(t.endpoint, ["apigateway", ...args], { cwd: dir });

  test("get-export writes the YAML document to the outfile and prints its content type (row 47)", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const out = join(dir, "out.yaml");
    const res = await aws(
      "get-export",
      "--rest-api-id",
      restApiId,
      "--stage-name",
      "dev",
      "--export-type",
      "oas30",
      "--accepts",
      "application/yaml",
      "--parameters",
      "extensions=apigateway",
      out,
    );
    assert.equal(res.code, 0, res.stderr);
    const printed = JSON.parse(res.stdout) as { contentType: string; contentDisposition: string };
    assert.equal(printed.contentType, "application/yaml");
    assert.match(printed.contentDisposition, /^attachment; filename=/);
    const text = readFileSync(out, "utf8");
    assert.ok(text.startsWith("openapi: 3.0"), text.slice(0, 40));
    const doc = parseYaml(text) as { paths: Record<string, Record<string, Record<string, { type: string }>>> };
    assert.equal(doc.paths["/pets"]!["get"]!["x-amazon-apigateway-integration"]!.type, "mock");
  });

  test("import-rest-api reads the document from fileb:// and prints the new API (row 48)", async () => {
    const file = join(dir, "api.json");
    const definition = {
      openapi: "3.0.1",
      info: { title: "cli-imported", version: "1.0" },
      paths: { "/ping": { get: { responses: { "200": { description: "ok" } }, "x-amazon-apigateway-integration": { type: "mock" } } } },
    };
    writeFileSync(file, JSON.stringify(definition));
    const res = await aws("import-rest-api", "--body", `fileb://${file}`);
    assert.equal(res.code, 0, res.stderr);
    const api = JSON.parse(res.stdout) as { id: string; name: string; rootResourceId: string };
    assert.equal(api.name, "cli-imported");
    assert.match(api.id, /^[a-z0-9]{10}$/);
    const resources = await aws("get-resources", "--rest-api-id", api.id);
    const items = (JSON.parse(resources.stdout) as { items: { path: string }[] }).items;
    assert.deepEqual(items.map((r) => r.path).sort(), ["/", "/ping"]);

    writeFileSync(file, "not an api");
    const bad = await aws("import-rest-api", "--fail-on-warnings", "--body", `fileb://${file}`);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /An error occurred \(BadRequestException\) when calling the ImportRestApi operation: Invalid OpenAPI input\./);
  });
});
