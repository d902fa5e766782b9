import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


const DEFAULT_TEMPLATES = { "application/json": '{"message":$context.error.messageString}' };

/** AWS's default status codes (control-plane.md §3.16); DEFAULT_4XX/5XX have none. */
const DEFAULT_STATUS: Record<string, string | undefined> = {
  ACCESS_DENIED: "403",
  API_CONFIGURATION_ERROR: "500",
  AUTHORIZER_CONFIGURATION_ERROR: "500",
  AUTHORIZER_FAILURE: "500",
  BAD_REQUEST_BODY: "400",
  BAD_REQUEST_PARAMETERS: "400",
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: "403",
  INTEGRATION_FAILURE: "504",
  INTEGRATION_TIMEOUT: "504",
  INVALID_API_KEY: "403",
  INVALID_SIGNATURE: "403",
  MISSING_AUTHENTICATION_TOKEN: "403",
  QUOTA_EXCEEDED: "429",
  REQUEST_TOO_LARGE: "413",
  RESOURCE_NOT_FOUND: "404",
  THROTTLED: "429",
  UNAUTHORIZED: "401",
  UNSUPPORTED_MEDIA_TYPE: "415",
  WAF_FILTERED: "403",
};

describe("GatewayResponse operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function newApi(): Promise<string> {
    return (await t.ag.send(new AG.CreateRestApiCommand({ name: "responses" }))).id!;
  }

  const list = async (restApiId: string): Promise<Map<string, AG.GatewayResponse>> => {
    const res = await t.ag.send(new AG.GetGatewayResponsesCommand({ restApiId }));
    return new Map((res.items ?? []).map((r) => [r.responseType!, r]));
  };

  test("GetGatewayResponses lists all 21 types, sorted, as untouched defaults", async () => {
    const apiId = await newApi();
    const res = await t.ag.send(new AG.GetGatewayResponsesCommand({ restApiId: apiId }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.items?.length, 21);
    assert.equal(res.position, undefined);
    assert.deepEqual(
      res.items?.map((r) => r.responseType),
      Object.keys(DEFAULT_STATUS),
    );
    for (const r of res.items!) {
      assert.equal(r.defaultResponse, true, r.responseType);
      assert.equal(r.statusCode, DEFAULT_STATUS[r.responseType!], r.responseType);
      assert.deepEqual(r.responseParameters, {});
      assert.deepEqual(r.responseTemplates, DEFAULT_TEMPLATES);
    }
    const single = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: "MISSING_AUTHENTICATION_TOKEN" }));
    assert.deepEqual(
      { type: single.responseType, status: single.statusCode, dflt: single.defaultResponse, params: single.responseParameters, templates: single.responseTemplates },
      { type: "MISSING_AUTHENTICATION_TOKEN", status: "403", dflt: true, params: {}, templates: DEFAULT_TEMPLATES },
    );
  });

  test("a Put DEFAULT_4XX is customised, the untouched 4xx defaults inherit it in listings, and Delete resets it", async () => {
    const apiId = await newApi();
    const cors = { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" };
    const put = await t.ag.send(
      new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_4XX", statusCode: "400", responseParameters: cors }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.equal(put.defaultResponse, false);
    assert.equal(put.statusCode, "400");
    assert.deepEqual(put.responseParameters, cors);
    assert.deepEqual(put.responseTemplates, DEFAULT_TEMPLATES);

    const listed = await list(apiId);
    assert.equal(listed.get("DEFAULT_4XX")?.defaultResponse, false);
    const throttled = listed.get("THROTTLED")!;
    assert.equal(throttled.defaultResponse, true);
    assert.equal(throttled.statusCode, "400");
    assert.deepEqual(throttled.responseParameters, cors);
    const timeout = listed.get("INTEGRATION_TIMEOUT")!;
    assert.equal(timeout.statusCode, "504");
    assert.deepEqual(timeout.responseParameters, {});
    const denied = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: "ACCESS_DENIED" }));
    assert.equal(denied.defaultResponse, true);
    assert.deepEqual(denied.responseParameters, cors);

    const del = await t.ag.send(new AG.DeleteGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_4XX" }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const reset = await list(apiId);
    assert.equal(reset.get("DEFAULT_4XX")?.defaultResponse, true);
    assert.equal(reset.get("THROTTLED")?.statusCode, "429");
    assert.deepEqual(reset.get("THROTTLED")?.responseParameters, {});
    await rejectsWith(
      t.ag.send(new AG.DeleteGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED" })),
      "NotFoundException",
      404,
      "Gateway response type not defined on api",
    );
  });

  test("a Put DEFAULT_5XX without a status keeps each 5xx type's own status in listings", async () => {
    const apiId = await newApi();
    const templates = { "application/json": '{"error":$context.error.messageString}' };
    const put = await t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_5XX", responseTemplates: templates }));
    assert.equal(put.statusCode, undefined);
    const listed = await list(apiId);
    assert.equal(listed.get("INTEGRATION_TIMEOUT")?.statusCode, "504");
    assert.deepEqual(listed.get("INTEGRATION_TIMEOUT")?.responseTemplates, templates);
    assert.equal(listed.get("API_CONFIGURATION_ERROR")?.statusCode, "500");
    assert.deepEqual(listed.get("UNAUTHORIZED")?.responseTemplates, DEFAULT_TEMPLATES);
  });

  test("PutGatewayResponse fills what it is not given from the defaults and replaces a previous Put", async () => {
    const apiId = await newApi();
    const onlyStatus = await t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "MISSING_AUTHENTICATION_TOKEN", statusCode: "404" }));
    assert.equal(onlyStatus.statusCode, "404");
    assert.deepEqual(onlyStatus.responseTemplates, DEFAULT_TEMPLATES);
    assert.deepEqual(onlyStatus.responseParameters, {});
    const nothing = await t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "MISSING_AUTHENTICATION_TOKEN" }));
    assert.equal(nothing.statusCode, "403");
    assert.equal(nothing.defaultResponse, false);
    const templates = { "application/xml": "<error>$context.error.message</error>" };
    await t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "UNAUTHORIZED", responseTemplates: templates }));
    const got = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: "UNAUTHORIZED" }));
    assert.equal(got.defaultResponse, false);
    assert.equal(got.statusCode, "401");
    assert.deepEqual(got.responseTemplates, templates);
  });

  test("PutGatewayResponse validates the status code and the parameter targets", async () => {
    const apiId = await newApi();
    await rejectsWith(
      t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED", statusCode: "600" })),
      "ValidationException",
      400,
      "1 validation error detected: Value '600' at 'putGatewayResponseInput.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
    );
    await rejectsWith(
      t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED", responseParameters: { "method.response.header.X": "'a'" } })),
      "BadRequestException",
      400,
      "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: method.response.header.X]",
    );
    // A value must be a source expression; a static one keeps its single quotes (Put and Update alike).
    await rejectsWith(
      t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED", responseParameters: { "gatewayresponse.header.X": "tollgate" } })),
      "BadRequestException",
      400,
      "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: tollgate]",
    );
    await rejectsWith(
      t.ag.send(
        new AG.UpdateGatewayResponseCommand({
          restApiId: apiId,
          responseType: "THROTTLED",
          patchOperations: [{ op: "add", path: "/responseParameters/gatewayresponse.header.X", value: "*" }],
        }),
      ),
      "BadRequestException",
      400,
      "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: *]",
    );
    // Template keys are media types, as in every other template map.
    await rejectsWith(
      t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED", responseTemplates: { "123": "x" } })),
      "BadRequestException",
      400,
      "Validation Result: warnings : [], errors : [Invalid content type specified: 123]",
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateGatewayResponseCommand({ restApiId: apiId, responseType: "THROTTLED", patchOperations: [{ op: "add", path: "/responseTemplates/456", value: "x" }] })),
      "BadRequestException",
      400,
      "Validation Result: warnings : [], errors : [Invalid content type specified: 456]",
    );
    const listed = await list(apiId);
    assert.equal(listed.get("THROTTLED")?.defaultResponse, true);
  });

  test("a type outside the enum is a ValidationException naming 'responseType'; an unknown API is NotFound", async () => {
    const apiId = await newApi();
    const enumMessage =
      "1 validation error detected: Value 'NOPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: " +
      "[REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, " +
      "INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, " +
      "WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]";
    const type = "NOPE" as AG.GatewayResponseType;
    for (const send of [
      () => t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: type })),
      () => t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: type })),
      () => t.ag.send(new AG.UpdateGatewayResponseCommand({ restApiId: apiId, responseType: type, patchOperations: [] })),
      () => t.ag.send(new AG.DeleteGatewayResponseCommand({ restApiId: apiId, responseType: type })),
    ]) {
      await rejectsWith(send(), "ValidationException", 400, enumMessage);
    }
    const missing = `Invalid API identifier specified ${ACCOUNT}:nosuchapi0`;
    for (const send of [
      () => t.ag.send(new AG.GetGatewayResponsesCommand({ restApiId: "nosuchapi0" })),
      () => t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: "nosuchapi0", responseType: "THROTTLED" })),
      () => t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: "nosuchapi0", responseType: "THROTTLED" })),
      () => t.ag.send(new AG.UpdateGatewayResponseCommand({ restApiId: "nosuchapi0", responseType: "THROTTLED", patchOperations: [] })),
      () => t.ag.send(new AG.DeleteGatewayResponseCommand({ restApiId: "nosuchapi0", responseType: "THROTTLED" })),
    ]) {
      await rejectsWith(send(), "NotFoundException", 404, missing);
    }
  });

  test("UpdateGatewayResponse on a never-Put type customises it; status, parameters and templates follow §5", async () => {
    const apiId = await newApi();
    const update = (...ops: AG.PatchOperation[]): Promise<AG.UpdateGatewayResponseCommandOutput> =>
      t.ag.send(new AG.UpdateGatewayResponseCommand({ restApiId: apiId, responseType: "RESOURCE_NOT_FOUND", patchOperations: ops }));
    const res = await update(
      { op: "replace", path: "/statusCode", value: "410" },
      { op: "add", path: "/responseParameters/gatewayresponse.header.X-Why", value: "'gone'" },
      { op: "add", path: "/responseTemplates/application~1xml", value: "<gone/>" },
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.defaultResponse, false);
    assert.equal(res.statusCode, "410");
    assert.deepEqual(res.responseParameters, { "gatewayresponse.header.X-Why": "'gone'" });
    assert.deepEqual(res.responseTemplates, { ...DEFAULT_TEMPLATES, "application/xml": "<gone/>" });
    const replaced = await update(
      { op: "replace", path: "/responseParameters/gatewayresponse.header.X-Why", value: "'moved'" },
      { op: "remove", path: "/responseTemplates/application~1json" },
    );
    assert.deepEqual(replaced.responseParameters, { "gatewayresponse.header.X-Why": "'moved'" });
    assert.deepEqual(replaced.responseTemplates, { "application/xml": "<gone/>" });
    const listed = await list(apiId);
    assert.equal(listed.get("RESOURCE_NOT_FOUND")?.defaultResponse, false);
    assert.equal(listed.get("RESOURCE_NOT_FOUND")?.statusCode, "410");

    await rejectsWith(update({ op: "add", path: "/statusCode", value: "400" }), "BadRequestException", 400, "Invalid patch path /statusCode");
    await rejectsWith(update({ op: "remove", path: "/statusCode" }), "BadRequestException", 400, "Invalid patch path /statusCode");
    await rejectsWith(update({ op: "replace", path: "/responseType", value: "THROTTLED" }), "BadRequestException", 400, "Invalid patch path /responseType");
    await rejectsWith(
      update({ op: "add", path: "/responseTemplates/text~1plain", value: "" }),
      "BadRequestException",
      400,
      "Invalid null or empty value in responseTemplates",
    );
    await rejectsWith(
      update({ op: "add", path: "/responseParameters/gatewayresponse.header.Y" }),
      "BadRequestException",
      400,
      "Invalid null or empty value in responseParameters",
    );
    await rejectsWith(
      update({ op: "replace", path: "/responseParameters/gatewayresponse.header.Nope", value: "'x'" }),
      "NotFoundException",
      404,
      "Invalid parameter name specified",
    );
    await rejectsWith(
      update({ op: "wrong-op" as AG.Op, path: "/statusCode", value: "400" }),
      "ValidationException",
      400,
      "1 validation error detected: Value 'wrong-op' at 'updateGatewayResponseInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
    const unchanged = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: "RESOURCE_NOT_FOUND" }));
    assert.equal(unchanged.statusCode, "410");
    assert.deepEqual(unchanged.responseParameters, { "gatewayresponse.header.X-Why": "'moved'" });

    const del = await t.ag.send(new AG.DeleteGatewayResponseCommand({ restApiId: apiId, responseType: "RESOURCE_NOT_FOUND" }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const back = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId: apiId, responseType: "RESOURCE_NOT_FOUND" }));
    assert.equal(back.defaultResponse, true);
    assert.equal(back.statusCode, "404");
  });
});
