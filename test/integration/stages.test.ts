import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import pino from "pino";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, createPetsApi, sdkError } from "../helpers/fixtures.js";
import { stageRoutes } from "../../src/admin/operations/stages.js";
import type { OpContext, OpRequest } from "../../src/admin/operation.js";
import type { UsagePlanDoc, ApiKeyDoc } from "../../src/domain/usage.js";

const METHOD_SETTING_DEFAULTS = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
};

describe("Stage operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  const update = (restApiId: string, patchOperations: AG.PatchOperation[], stageName = "dev") =>
    t.ag.send(new AG.UpdateStageCommand({ restApiId, stageName, patchOperations }));

  test("CreateStage returns a fresh stage; a second one with the same name is a conflict", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const created = await t.ag.send(
      new AG.CreateStageCommand({ restApiId, stageName: "qa", deploymentId, description: "testing", variables: { a: "1" } }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.stageName, "qa");
    assert.equal(created.deploymentId, deploymentId);
    assert.equal(created.description, "testing");
    assert.deepEqual(created.variables, { a: "1" });
    assert.equal(created.cacheClusterEnabled, false);
    assert.equal(created.cacheClusterStatus, "NOT_AVAILABLE");
    assert.deepEqual(created.methodSettings, {});
    assert.equal(created.tracingEnabled, false);
    assert.ok(created.createdDate instanceof Date && created.lastUpdatedDate instanceof Date);

    await assert.rejects(
      t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "dev", deploymentId })),
      sdkError(AG.ConflictException, 409, "Stage already exists"),
    );
  });

  test("a stage created without variables has no variables key on the wire", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "bare", deploymentId }));
    const raw = await t.signedFetch("GET", `/restapis/${restApiId}/stages/bare`, { headers: { accept: "application/json" } });
    const json = (await raw.json()) as Record<string, unknown>;
    assert.equal("variables" in json, false);
    assert.equal(typeof json["createdDate"], "number");
  });

  test("CreateStage validates the deployment and the stage name", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "x", deploymentId: "nope00" })),
      sdkError(AG.NotFoundException, 404, "Invalid Deployment identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "has space", deploymentId })),
      sdkError(AG.BadRequestException, 400, "Stage name only allows a-zA-Z0-9_"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "big", deploymentId, cacheClusterSize: "2.0" as AG.CacheClusterSize })),
      sdkError("ValidationException", 400, /^1 validation error detected: Value '2.0' at 'createStageInput.cacheClusterSize'/),
    );
  });

  test("an unknown stage is NotFound with AWS's lower-case message", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    await assert.rejects(
      t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "nope" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
    await assert.rejects(update(restApiId, [], "nope"), sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"));
    await assert.rejects(
      t.ag.send(new AG.DeleteStageCommand({ restApiId, stageName: "nope" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetStagesCommand({ restApiId: "doesnotexi" })),
      sdkError(AG.NotFoundException, 404, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`),
    );
  });

  test("stage variables are added, replaced and removed, and vanish from the response when empty", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const before = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    let stage = await update(restApiId, [{ op: "replace", path: "/variables/lambdaAlias", value: "dev" }]);
    assert.equal(stage.$metadata.httpStatusCode, 200);
    assert.equal(stage.variables?.["lambdaAlias"], "dev");
    assert.ok(stage.lastUpdatedDate! >= before.lastUpdatedDate!);
    stage = await update(restApiId, [{ op: "add", path: "/variables/other", value: "x" }]);
    assert.deepEqual(stage.variables, { lambdaAlias: "dev", other: "x" });
    stage = await update(restApiId, [
      { op: "remove", path: "/variables/lambdaAlias" },
      { op: "remove", path: "/variables/other" },
    ]);
    assert.equal(stage.variables, undefined);
  });

  test("stage variable names and values are checked with AWS's messages, wherever they are set", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const badName = "Invalid stage variable name: owner:app.  Please use names with only word characters.";
    const badValue = (value: string) =>
      `Invalid stage variable value: ${value}.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.`;
    const refusals: [Promise<unknown>, string][] = [
      [update(restApiId, [{ op: "replace", path: "/variables/owner:app", value: "x" }]), badName],
      [update(restApiId, [{ op: "replace", path: "/variables/alias", value: "$LATEST" }]), badValue("$LATEST")],
      [update(restApiId, [{ op: "replace", path: "/canarySettings/stageVariableOverrides/alias", value: "a\"b" }]), badValue('a"b')],
      [t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", variables: { alias: "" } })), badValue("")],
      [t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "other", deploymentId, variables: { "owner:app": "x" } })), badName],
      [t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", canarySettings: { percentTraffic: 10, stageVariableOverrides: { alias: "<b>" } } })), badValue("<b>")],
    ];
    for (const [call, message] of refusals) await assert.rejects(call, sdkError("BadRequestException", 400, message));
    const ok = await update(restApiId, [{ op: "replace", path: "/variables/backend_1", value: "https://host:8443/a?b=c&d=e,f #g~h" }]);
    assert.equal(ok.variables?.["backend_1"], "https://host:8443/a?b=c&d=e,f #g~h");
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.deepEqual(stage.variables, { backend_1: "https://host:8443/a?b=c&d=e,f #g~h" }, "nothing refused was stored");
  });

  test("method settings: stage-wide and per-method entries, with defaults filled in", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const stage = await update(restApiId, [
      { op: "replace", path: "/*/*/throttling/rateLimit", value: "100" },
      { op: "replace", path: "/~1pets/GET/caching/enabled", value: "true" },
    ]);
    assert.equal(stage.methodSettings?.["*/*"]?.throttlingRateLimit, 100);
    assert.equal(stage.methodSettings?.["~1pets/GET"]?.cachingEnabled, true);
    assert.equal(stage.methodSettings?.["~1pets/GET"]?.cacheTtlInSeconds, 300);
    assert.deepEqual(stage.methodSettings?.["*/*"], { ...METHOD_SETTING_DEFAULTS, throttlingRateLimit: 100 });

    const more = await update(restApiId, [
      { op: "replace", path: "/~1pets/GET/logging/loglevel", value: "INFO" },
      { op: "replace", path: "/~1pets/GET/throttling/burstLimit", value: "20" },
      { op: "replace", path: "/~1pets/GET/caching/ttlInSeconds", value: "60" },
      { op: "replace", path: "/~1pets/GET/caching/unauthorizedCacheControlHeaderStrategy", value: "FAIL_WITH_403" },
      { op: "replace", path: "/~1pets/GET/metrics/enabled", value: "true" },
    ]);
    assert.deepEqual(more.methodSettings?.["~1pets/GET"], {
      ...METHOD_SETTING_DEFAULTS,
      cachingEnabled: true,
      loggingLevel: "INFO",
      throttlingBurstLimit: 20,
      cacheTtlInSeconds: 60,
      unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403",
      metricsEnabled: true,
    });

    const removed = await update(restApiId, [{ op: "remove", path: "/~1pets/GET" }]);
    assert.deepEqual(Object.keys(removed.methodSettings ?? {}), ["*/*"]);
    await assert.rejects(
      update(restApiId, [{ op: "remove", path: "/~1pets/GET" }]),
      sdkError(AG.BadRequestException, 400, "Cannot remove method setting ~1pets/GET because there is no method setting for this method "),
    );
  });

  test("method-setting values are checked and a failing batch changes nothing", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    await assert.rejects(
      update(restApiId, [
        { op: "replace", path: "/*/*/caching/enabled", value: "true" },
        { op: "replace", path: "/*/*/caching/ttlInSeconds", value: "4000" },
      ]),
      sdkError(AG.BadRequestException, 400, /^Cache TTL must be between 0 and 3600/),
    );
    await assert.rejects(
      update(restApiId, [{ op: "replace", path: "/*/*/logging/loglevel", value: "LOUD" }]),
      sdkError(AG.BadRequestException, 400, /LOUD/),
    );
    await assert.rejects(update(restApiId, [{ op: "add", path: "/*/*/caching/enabled", value: "true" }]), sdkError(AG.BadRequestException, 400));
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.deepEqual(stage.methodSettings, {});
  });

  test("an unknown UpdateStage path is refused with AWS's full list of method-setting paths", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    for (const path of ["/foo", "/variables", "/pets/GET/caching/enabled", "/~1pets/FETCH/caching/enabled", "/*/*/caching/colour"]) {
      await assert.rejects(
        update(restApiId, [{ op: "replace", path, value: "x" }]),
        sdkError(AG.BadRequestException, 400, new RegExp(`^Invalid method setting path: ${path.replaceAll("*", "\\*")}\\. Must be one of: \\[/deploymentId, /description,`)),
      );
    }
    await assert.rejects(
      update(restApiId, [{ op: "replace", path: "/foo", value: "x" }]),
      sdkError(AG.BadRequestException, 400, /, \/\*\/\*\/throttling\/burstLimit \/\*\/\*\/throttling\/rateLimit .*, \/variables\/\{variable_name\}, \/tracingEnabled\]$/),
    );
  });

  test("scalar stage fields: description, tracing, cache cluster, deployment", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    let stage = await update(restApiId, [
      { op: "replace", path: "/description", value: "main" },
      { op: "replace", path: "/tracingEnabled", value: "true" },
      { op: "replace", path: "/cacheClusterEnabled", value: "true" },
    ]);
    assert.equal(stage.description, "main");
    assert.equal(stage.tracingEnabled, true);
    assert.equal(stage.cacheClusterEnabled, true);
    assert.equal(stage.cacheClusterStatus, "AVAILABLE");
    assert.equal(stage.cacheClusterSize, "0.5");
    stage = await update(restApiId, [{ op: "replace", path: "/cacheClusterSize", value: "6.1" }]);
    assert.equal(stage.cacheClusterSize, "6.1");
    stage = await update(restApiId, [{ op: "replace", path: "/cacheClusterEnabled", value: "false" }]);
    assert.equal(stage.cacheClusterStatus, "NOT_AVAILABLE");

    const next = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId }));
    stage = await update(restApiId, [{ op: "replace", path: "/deploymentId", value: next.id }]);
    assert.equal(stage.deploymentId, next.id);
    await assert.rejects(
      update(restApiId, [{ op: "replace", path: "/deploymentId", value: "nope00" }]),
      sdkError(AG.BadRequestException, 400, "Deployment id does not exist"),
    );
    await assert.rejects(
      update(restApiId, [{ op: "add", path: "/description", value: "x" }]),
      sdkError(AG.BadRequestException, 400, "Invalid patch operation specified. Must be one of: [replace]"),
    );
    assert.notEqual(stage.deploymentId, deploymentId);
  });

  test("access log settings are set field by field and removed as a whole", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:access`;
    let stage = await update(restApiId, [
      { op: "replace", path: "/accessLogSettings/destinationArn", value: arn },
      { op: "replace", path: "/accessLogSettings/format", value: '{"id":"$context.requestId"}' },
    ]);
    assert.deepEqual(stage.accessLogSettings, { destinationArn: arn, format: '{"id":"$context.requestId"}' });
    await assert.rejects(
      update(restApiId, [{ op: "replace", path: "/accessLogSettings/format", value: "$context.status" }]),
      sdkError(AG.BadRequestException, 400, /requestId/),
    );
    stage = await update(restApiId, [{ op: "remove", path: "/accessLogSettings" }]);
    assert.equal(stage.accessLogSettings, undefined);
  });

  test("canary settings can be edited by path", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const canary = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev", canarySettings: { percentTraffic: 10 } }));
    const stage = await update(restApiId, [
      { op: "replace", path: "/canarySettings/percentTraffic", value: "25.5" },
      { op: "replace", path: "/canarySettings/useStageCache", value: "true" },
      { op: "add", path: "/canarySettings/stageVariableOverrides/alias", value: "c" },
    ]);
    assert.deepEqual(stage.canarySettings, {
      deploymentId: canary.id,
      percentTraffic: 25.5,
      useStageCache: true,
      stageVariableOverrides: { alias: "c" },
    });
    await assert.rejects(
      update(restApiId, [{ op: "replace", path: "/canarySettings/percentTraffic", value: "101" }]),
      sdkError(AG.BadRequestException, 400),
    );
  });

  test("GetStages returns the SDK field item, one entry per stage, filtered by deployment", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    const other = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "prod" }));
    const all = await t.ag.send(new AG.GetStagesCommand({ restApiId }));
    assert.ok(Array.isArray(all.item));
    assert.deepEqual(all.item!.map((s) => s.stageName).sort(), ["dev", "prod"]);
    const filtered = await t.ag.send(new AG.GetStagesCommand({ restApiId, deploymentId }));
    assert.deepEqual(filtered.item!.map((s) => s.stageName), ["dev"]);
    assert.notEqual(other.id, deploymentId);
    const raw = (await (await t.signedFetch("GET", `/restapis/${restApiId}/stages`)).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(raw), ["item"], "no position, no items");
  });

  test("the eleventh stage of an API exceeds the default quota of ten", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const { id: deploymentId } = await t.ag.send(new AG.CreateDeploymentCommand({ restApiId }));
    for (let i = 1; i <= 10; i++) {
      const res = await t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: `s${i}`, deploymentId }));
      assert.equal(res.$metadata.httpStatusCode, 201);
    }
    await assert.rejects(
      t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "s11", deploymentId })),
      sdkError(AG.LimitExceededException, 429),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "s11" })),
      sdkError(AG.LimitExceededException, 429),
      "CreateDeployment cannot create an eleventh stage either",
    );
  });

  test("FlushStageCache and FlushStageAuthorizersCache answer 202 for a stage and NotFound otherwise", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const data = await t.ag.send(new AG.FlushStageCacheCommand({ restApiId, stageName: "dev" }));
    assert.equal(data.$metadata.httpStatusCode, 202);
    const auth = await t.ag.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId, stageName: "dev" }));
    assert.equal(auth.$metadata.httpStatusCode, 202);
    await assert.rejects(
      t.ag.send(new AG.FlushStageCacheCommand({ restApiId, stageName: "nope" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId, stageName: "nope" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
  });

  test("the flush operations call the registered stage and authorizer caches", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const calls: string[] = [];
    const ctx: OpContext = {
      config: t.gw.config,
      store: t.gw.store,
      logger: pino({ level: "silent" }),
      services: {
        stageCache: { flush: (api: string, stage: string) => void calls.push(`data ${api} ${stage}`) },
        authorizerCache: { flush: async (api: string, stage: string) => void calls.push(`auth ${api} ${stage}`) },
      },
    };
    const request = (operation: string): OpRequest => ({
      operation,
      params: { restapi_id: restApiId, stage_name: "dev" },
      query: new URLSearchParams(),
      headers: {},
      rawBody: Buffer.alloc(0),
      json: () => ({}),
    });
    for (const operation of ["FlushStageCache", "FlushStageAuthorizersCache"]) {
      const route = stageRoutes.find((r) => r.operation === operation)!;
      assert.equal((await route.handler(request(operation), ctx)).status, 202);
    }
    assert.deepEqual(calls, [`data ${restApiId} dev`, `auth ${restApiId} dev`]);
  });

  test("DeleteStage detaches the stage from usage plans and API keys but keeps the deployment", async () => {
    const { restApiId, deploymentId } = await createDeployedPetsApi(t.ag);
    await t.ag.send(new AG.CreateStageCommand({ restApiId, stageName: "keep", deploymentId }));
    // Written straight to the store so this test does not depend on the usage-plan and API-key operations.
    const plan: UsagePlanDoc = {
      id: "plan01",
      name: "p",
      apiStages: [{ apiId: restApiId, stage: "dev" }, { apiId: restApiId, stage: "keep" }],
      tags: {},
      keyIds: [],
    };
    const key: ApiKeyDoc = {
      id: "key0000001",
      value: "v".repeat(40),
      enabled: true,
      createdDate: 0,
      lastUpdatedDate: 0,
      stageKeys: [`${restApiId}/dev`, `${restApiId}/keep`],
      tags: {},
    };
    await t.gw.store.write(async (w) => {
      await w.put("usageplan", plan.id, plan);
      await w.put("apikey", key.id, key);
    });
    const res = await t.ag.send(new AG.DeleteStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    const storedPlan = await t.gw.store.reader.get<UsagePlanDoc>("usageplan", plan.id);
    assert.deepEqual(storedPlan?.apiStages, [{ apiId: restApiId, stage: "keep" }]);
    const storedKey = await t.gw.store.reader.get<ApiKeyDoc>("apikey", key.id);
    assert.deepEqual(storedKey?.stageKeys, [`${restApiId}/keep`]);
    const dep = await t.ag.send(new AG.GetDeploymentCommand({ restApiId, deploymentId }));
    assert.equal(dep.id, deploymentId);
    await t.gw.store.write(async (w) => {
      await w.delete("usageplan", plan.id);
      await w.delete("apikey", key.id);
    });
  });
});
