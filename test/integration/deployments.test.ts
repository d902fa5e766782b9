import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, createPetsApi, sdkError } from "../helpers/fixtures.js";

describe("Deployment operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("deploying an API without methods is refused", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "empty" }));
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId: id, stageName: "dev" })),
      sdkError(AG.BadRequestException, 400, "The REST API doesn't contain any methods"),
    );
    const stages = await t.ag.send(new AG.GetStagesCommand({ restApiId: id }));
    assert.deepEqual(stages.item, [], "a refused deployment creates no stage");
  });

  test("deploying a method without an integration is refused", async () => {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "no-integration" }));
    await t.ag.send(
      new AG.PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: "GET", authorizationType: "NONE" }),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId: api.id })),
      sdkError(AG.BadRequestException, 400, "No integration defined for method"),
    );
    const deps = await t.ag.send(new AG.GetDeploymentsCommand({ restApiId: api.id }));
    assert.deepEqual(deps.items, []);
  });

  test("CreateDeployment with a stage name creates the stage with AWS's defaults", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const dep = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", variables: { v: "1" }, description: "v1" }));
    assert.equal(dep.$metadata.httpStatusCode, 201);
    assert.match(dep.id!, /^[a-z0-9]{6}$/);
    assert.ok(dep.createdDate instanceof Date);
    assert.equal(dep.description, "v1");
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(stage.deploymentId, dep.id);
    assert.equal(stage.variables?.["v"], "1");
    assert.equal(stage.cacheClusterEnabled, false);
    assert.equal(stage.cacheClusterStatus, "NOT_AVAILABLE");
    assert.deepEqual(stage.methodSettings, {});
    assert.equal(stage.tracingEnabled, false);
    assert.ok(stage.createdDate instanceof Date);
    assert.ok(stage.lastUpdatedDate instanceof Date);
  });

  test("stage options of CreateDeployment apply to a new stage", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    await t.ag.send(
      new AG.CreateDeploymentCommand({
        restApiId,
        stageName: "prod",
        stageDescription: "production",
        cacheClusterEnabled: true,
        tracingEnabled: true,
      }),
    );
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "prod" }));
    assert.equal(stage.description, "production");
    assert.equal(stage.cacheClusterEnabled, true);
    assert.equal(stage.cacheClusterStatus, "AVAILABLE");
    assert.equal(stage.cacheClusterSize, "0.5");
    assert.equal(stage.tracingEnabled, true);
  });

  test("redeploying to an existing stage repoints it and merges its variables", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", variables: { a: "1", b: "2" } }));
    const second = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", variables: { b: "3", c: "4" } }));
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(stage.deploymentId, second.id);
    assert.deepEqual(stage.variables, { a: "1", b: "3", c: "4" });
  });

  test("an invalid stage name is refused and nothing is deployed", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "bad-name" })),
      sdkError(AG.BadRequestException, 400, "Stage name only allows a-zA-Z0-9_"),
    );
    assert.deepEqual((await t.ag.send(new AG.GetDeploymentsCommand({ restApiId }))).items, []);
  });

  test("a deployment in use cannot be deleted until its stage is gone", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.DeleteDeploymentCommand({ restApiId, deploymentId })),
      sdkError(AG.BadRequestException, 400, "Active stages pointing to this deployment must be moved or deleted"),
    );
    const delStage = await t.ag.send(new AG.DeleteStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(delStage.$metadata.httpStatusCode, 202);
    const delDep = await t.ag.send(new AG.DeleteDeploymentCommand({ restApiId, deploymentId }));
    assert.equal(delDep.$metadata.httpStatusCode, 202);
    await assert.rejects(
      t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId })),
      sdkError(AG.NotFoundException, 404, "Invalid Deployment identifier specified"),
    );
  });

  test("a canary deployment sets the stage's canary, keeps its deployment, and promotion swaps them", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const canary = await t.ag.send(
      new AG.CreateDeploymentCommand({
        restApiId,
        stageName: "dev",
        canarySettings: { percentTraffic: 10, stageVariableOverrides: { alias: "canary" } },
      }),
    );
    const d2 = canary.id!;
    let stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(stage.deploymentId, deploymentId);
    assert.equal(stage.canarySettings?.deploymentId, d2);
    assert.equal(stage.canarySettings?.percentTraffic, 10);
    assert.equal(stage.canarySettings?.useStageCache, false);
    assert.deepEqual(stage.canarySettings?.stageVariableOverrides, { alias: "canary" });

    await assert.rejects(
      t.ag.send(new AG.DeleteDeploymentCommand({ restApiId, deploymentId: d2 })),
      sdkError(AG.BadRequestException, 400, "Active stages pointing to this deployment must be moved or deleted"),
      "a canary deployment is in use too",
    );

    stage = await t.ag.send(
      new AG.UpdateStageCommand({
        restApiId,
        stageName: "dev",
        patchOperations: [
          { op: "copy", from: "/canarySettings/stageVariableOverrides", path: "/variables" },
          { op: "copy", from: "/canarySettings/deploymentId", path: "/deploymentId" },
          { op: "remove", path: "/canarySettings" },
        ],
      }),
    );
    assert.equal(stage.deploymentId, d2);
    assert.equal(stage.canarySettings, undefined);
    assert.deepEqual(stage.variables, { alias: "canary" });
    // The old deployment is now free.
    await t.ag.send(new AG.DeleteDeploymentCommand({ restApiId, deploymentId }));
  });

  test("a canary deployment needs a stage name and an existing stage", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId, canarySettings: { percentTraffic: 5 } })),
      sdkError(
        AG.BadRequestException,
        400,
        "Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null",
      ),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "later", canarySettings: { percentTraffic: 5 } })),
      sdkError(
        AG.BadRequestException,
        400,
        "Invalid deployment content specified.Stage later must already be created before making a canary release deployment",
      ),
    );
    assert.deepEqual((await t.ag.send(new AG.GetDeploymentsCommand({ restApiId }))).items, [], "the failed call left no deployment");
  });

  test("embed=apisummary lists each path's verbs with authorization, and only when asked", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const withSummary = await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId, embed: ["apisummary"] }));
    assert.deepEqual(withSummary.apiSummary?.["/pets"]?.["GET"], { authorizationType: "NONE", apiKeyRequired: false });
    assert.deepEqual(Object.keys(withSummary.apiSummary ?? {}), ["/pets"], "resources without methods are left out");
    const plain = await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId }));
    assert.equal(plain.apiSummary, undefined);
  });

  test("a deployment is a snapshot: later edits of the API do not change it", async () => {
    const { restApiId, petsId, deploymentId } = await createDeployedPetsApi(t.ag);
    await t.ag.send(
      new AG.UpdateMethodCommand({
        restApiId,
        resourceId: petsId,
        httpMethod: "GET",
        patchOperations: [{ op: "replace", path: "/apiKeyRequired", value: "true" }],
      }),
    );
    const old = await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId, embed: ["apisummary"] }));
    assert.equal(old.apiSummary?.["/pets"]?.["GET"]?.apiKeyRequired, false);
    const fresh = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId }));
    const now = await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId: fresh.id, embed: ["apisummary"] }));
    assert.equal(now.apiSummary?.["/pets"]?.["GET"]?.apiKeyRequired, true);
  });

  test("GetDeployments pages with position and omits it on the last page", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, description: `d${i}` }))).id!);
    const first = await t.ag.send(new AG.GetDeploymentsCommand({ restApiId, limit: 2 }));
    assert.equal(first.items?.length, 2);
    assert.ok(first.position);
    const second = await t.ag.send(new AG.GetDeploymentsCommand({ restApiId, limit: 2, position: first.position }));
    assert.equal(second.position, undefined);
    assert.deepEqual([...first.items!, ...second.items!].map((d) => d.id), ids, "creation order");
  });

  test("UpdateDeployment replaces the description and rejects other paths", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const res = await t.ag.send(
      new AG.UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: "replace", path: "/description", value: "renamed" }] }),
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.description, "renamed");
    assert.equal((await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId }))).description, "renamed");
    await assert.rejects(
      t.ag.send(new AG.UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: "replace", path: "/id", value: "x" }] })),
      sdkError(AG.BadRequestException, 400, "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description]"),
    );
  });

  test("deployment calls on an unknown API or deployment are NotFound", async () => {
    await assert.rejects(
      t.ag.send(new AG.GetDeploymentsCommand({ restApiId: "doesnotexi" })),
      sdkError(AG.NotFoundException, 404, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`),
    );
    const { restApiId } = await createPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId: "nope00" })),
      sdkError(AG.NotFoundException, 404, "Invalid Deployment identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.DeleteDeploymentCommand({ restApiId, deploymentId: "nope00" })),
      sdkError(AG.NotFoundException, 404, "Invalid Deployment identifier specified"),
    );
  });

  test("DeleteRestApi removes the API's deployments and stages", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await t.ag.send(new AG.DeleteRestApiCommand({ restApiId }));
    assert.equal(await t.gw.store.reader.get("deployment", `${restApiId}/${deploymentId}`), undefined);
    assert.equal(await t.gw.store.reader.count("stage", restApiId), 0);
  });
});
