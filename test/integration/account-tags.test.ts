import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, REGION, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, sdkError } from "../helpers/fixtures.js";
import type { ApiKeyDoc } from "../../src/domain/usage.js";

describe("Account operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("GetAccount answers AWS's defaults before any update", async () => {
    const res = await t.ag.send(new AG.GetAccountCommand({}));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.deepEqual(res.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    assert.deepEqual(res.features, ["UsagePlans"]);
    assert.equal(res.apiKeyVersion, "4");
    assert.equal(res.cloudwatchRoleArn, undefined);
  });

  test("UpdateAccount sets and clears the CloudWatch role", async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/apigw-logs`;
    const res = await t.ag.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: arn }] }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.cloudwatchRoleArn, arn);
    assert.equal((await t.ag.send(new AG.GetAccountCommand({}))).cloudwatchRoleArn, arn);
    const cleared = await t.ag.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: "" }] }));
    assert.equal(cleared.cloudwatchRoleArn, undefined);
    await assert.rejects(
      t.ag.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: "not-an-arn" }] })),
      sdkError(AG.BadRequestException, 400, "Invalid ARN specified in the request"),
    );
  });

  test("the account throttle can be changed locally through /throttle paths", async () => {
    const res = await t.ag.send(
      new AG.UpdateAccountCommand({
        patchOperations: [
          { op: "replace", path: "/throttle/rateLimit", value: "250.5" },
          { op: "replace", path: "/throttle/burstLimit", value: "100" },
        ],
      }),
    );
    assert.deepEqual(res.throttleSettings, { rateLimit: 250.5, burstLimit: 100 });
    assert.deepEqual((await t.ag.send(new AG.GetAccountCommand({}))).throttleSettings, { rateLimit: 250.5, burstLimit: 100 });
    await assert.rejects(
      t.ag.send(new AG.UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/throttle/burstLimit", value: "1.5" }] })),
      sdkError(AG.BadRequestException, 400),
    );
  });

  test("features are added once; unknown paths are refused and nothing changes", async () => {
    const res = await t.ag.send(
      new AG.UpdateAccountCommand({
        patchOperations: [
          { op: "add", path: "/features", value: "UsagePlans" },
          { op: "add", path: "/features", value: "Other" },
        ],
      }),
    );
    assert.deepEqual(res.features, ["UsagePlans", "Other"]);
    const before = await t.ag.send(new AG.GetAccountCommand({}));
    await assert.rejects(
      t.ag.send(
        new AG.UpdateAccountCommand({
          patchOperations: [
            { op: "replace", path: "/cloudwatchRoleArn", value: `arn:aws:iam::${ACCOUNT}:role/x` },
            { op: "replace", path: "/apiKeyVersion", value: "5" },
          ],
        }),
      ),
      sdkError(AG.BadRequestException, 400, "Invalid patch path /apiKeyVersion"),
    );
    const after = await t.ag.send(new AG.GetAccountCommand({}));
    assert.equal(after.cloudwatchRoleArn, before.cloudwatchRoleArn);
  });
});

describe("Tag operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  const arnOf = (path: string, region = REGION): string => `arn:aws:apigateway:${region}::${path}`;

  test("REST API tags: create-time tags are visible, TagResource and UntagResource answer 204", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "t", tags: { a: "1" } }));
    const resourceArn = arnOf(`/restapis/${id}`);
    const got = await t.ag.send(new AG.GetTagsCommand({ resourceArn }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.deepEqual(got.tags, { a: "1" });
    const tagged = await t.ag.send(new AG.TagResourceCommand({ resourceArn, tags: { b: "2" } }));
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    const untagged = await t.ag.send(new AG.UntagResourceCommand({ resourceArn, tagKeys: ["a"] }));
    assert.equal(untagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn }))).tags, { b: "2" });
    assert.deepEqual((await t.ag.send(new AG.GetRestApiCommand({ restApiId: id }))).tags, { b: "2" }, "same map as the API's own tags");
  });

  test("stage tags work the same way through the stage ARN", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "tagged", deploymentId, tags: { a: "1" } }));
    const resourceArn = arnOf(`/restapis/${restApiId}/stages/tagged`);
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn }))).tags, { a: "1" });
    await t.ag.send(new AG.TagResourceCommand({ resourceArn, tags: { b: "2", c: "3" } }));
    await t.ag.send(new AG.UntagResourceCommand({ resourceArn, tagKeys: ["a", "c"] }));
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn }))).tags, { b: "2" });
    assert.deepEqual((await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "tagged" }))).tags, { b: "2" });

    const devArn = arnOf(`/restapis/${restApiId}/stages/dev`);
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn: devArn }))).tags, {});
    await t.ag.send(new AG.TagResourceCommand({ resourceArn: devArn, tags: { env: "dev" } }));
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn: devArn }))).tags, { env: "dev" });
  });

  test("the ARN travels percent-encoded as one path segment", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "raw", tags: { k: "v" } }));
    const encoded = encodeURIComponent(arnOf(`/restapis/${id}`));
    assert.match(encoded, /%2F/);
    const res = await t.signedFetch("GET", `/tags/${encoded}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { tags: { k: "v" } });
  });

  test("API key tags are reachable through the API key ARN", async () => {
    const key: ApiKeyDoc = {
      id: "tagkey0001",
      value: "x".repeat(40),
      enabled: true,
      createdDate: 0,
      lastUpdatedDate: 0,
      stageKeys: [],
      tags: { owner: "me" },
    };
    // Written straight to the store so this test does not depend on the API-key operations.
    await t.gw.store.write((w) => w.put("apikey", key.id, key));
    const resourceArn = arnOf(`/apikeys/${key.id}`);
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn }))).tags, { owner: "me" });
    await t.ag.send(new AG.TagResourceCommand({ resourceArn, tags: { team: "x" } }));
    const stored = await t.gw.store.reader.get<ApiKeyDoc>("apikey", key.id);
    assert.deepEqual(stored?.tags, { owner: "me", team: "x" });
    assert.equal(stored?.value, key.value, "the rest of the document is untouched");
  });

  test("unknown resources, other regions and unsupported ARNs are NotFound; malformed ARNs are BadRequest", async () => {
    await assert.rejects(
      t.ag.send(new AG.GetTagsCommand({ resourceArn: arnOf("/restapis/doesnotexi") })),
      sdkError(AG.NotFoundException, 404, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`),
    );
    const { restApiId } = await createDeployedPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.TagResourceCommand({ resourceArn: arnOf(`/restapis/${restApiId}/stages/nope`), tags: { a: "1" } })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetTagsCommand({ resourceArn: arnOf(`/restapis/${restApiId}`, "eu-west-1") })),
      sdkError(AG.NotFoundException, 404),
    );
    await assert.rejects(
      t.ag.send(new AG.GetTagsCommand({ resourceArn: arnOf(`/restapis/${restApiId}/resources/abc`) })),
      sdkError(AG.NotFoundException, 404),
    );
    await assert.rejects(
      t.ag.send(new AG.UntagResourceCommand({ resourceArn: arnOf("/usageplans/nope00"), tagKeys: ["a"] })),
      sdkError(AG.NotFoundException, 404, "Invalid Usage Plan ID specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetTagsCommand({ resourceArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` })),
      sdkError(AG.BadRequestException, 400, "Invalid ARN specified in the request"),
    );
  });
});
