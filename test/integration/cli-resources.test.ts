// The AWS CLI forms of conformance rows 11, 12, 18 and 21 (sdk-conformance.md §I), run against a real gateway.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { runAwsCli, type CliResult } from "../helpers/aws-cli.js";



describe("AWS CLI: resources, methods and integrations", () => {
  let t: TestGateway;
  let api: string;
  let root: string;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  const aws = (...args: string[]): Promise<CliResult> => runAwsCli(t.endpoint, ["apigateway", ...args]);

  async function json(...args: string[]): Promise<Record<string, unknown>> {
    const res = await aws(...args);
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  test("create-resource prints the new resource with its path (row 11)", async () => {
    const created = await json("create-rest-api", "--name", "cli-resources");
    api = created["id"] as string;
    root = created["rootResourceId"] as string;
    const res = await json("create-resource", "--rest-api-id", api, "--parent-id", root, "--path-part", "pets");
    assert.equal(res["path"], "/pets");
    assert.equal(res["parentId"], root);
    assert.match(res["id"] as string, /^[a-z0-9]{6}$/);
  });

  test("the same create-resource again fails with the ConflictException line (row 12)", async () => {
    const res = await aws("create-resource", "--rest-api-id", api, "--parent-id", root, "--path-part", "pets");
    assert.notEqual(res.code, 0);
    assert.equal(
      res.stderr.trim(),
      "An error occurred (ConflictException) when calling the CreateResource operation: Another resource with the same parent already has this name: pets",
    );
  });

  test("put-method prints exactly the bare method, and repeating it conflicts (row 18)", async () => {
    const pets = await petsId();
    const res = await json("put-method", "--rest-api-id", api, "--resource-id", pets, "--http-method", "GET", "--authorization-type", "NONE");
    assert.deepEqual(res, { httpMethod: "GET", authorizationType: "NONE", apiKeyRequired: false });
    const again = await aws("put-method", "--rest-api-id", api, "--resource-id", pets, "--http-method", "GET", "--authorization-type", "NONE");
    assert.notEqual(again.code, 0);
    assert.equal(again.stderr.trim(), "An error occurred (ConflictException) when calling the PutMethod operation: Method already exists for this resource");
  });

  test("put-integration for a Lambda proxy prints the integration verb and the default timeout (row 21)", async () => {
    const pets = await petsId();
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:pets/invocations`;
    const res = await json(
      "put-integration",
      "--rest-api-id",
      api,
      "--resource-id",
      pets,
      "--http-method",
      "GET",
      "--type",
      "AWS_PROXY",
      "--integration-http-method",
      "POST",
      "--uri",
      uri,
    );
    assert.equal(res["httpMethod"], "POST");
    assert.equal(res["timeoutInMillis"], 29000);
    assert.equal(res["type"], "AWS_PROXY");
    assert.equal(res["uri"], uri);
    assert.equal(res["cacheNamespace"], pets);
  });

  async function petsId(): Promise<string> {
    const listing = await json("get-resources", "--rest-api-id", api);
    const items = listing["items"] as { id: string; path: string }[];
    const pets = items.find((r) => r.path === "/pets");
    assert.ok(pets, "the /pets resource exists");
    return pets.id;
  }
});
