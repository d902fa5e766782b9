// The AWS CLI forms of conformance rows 50/52 and 55/58 (sdk-conformance.md §I): API keys, usage plans, plan
// keys and the usage report, whose wire key `values` botocore renames to `items`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deployPetsApi } from "../helpers/deployed-api.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { awsCliJson } from "../helpers/aws-cli.js";


describe("AWS CLI: API keys, usage plans and usage", () => {
  let t: TestGateway;
  let api: string;
  before(async () => {
    t = await startTestGateway();
    api = await deployPetsApi(t.ag, ["dev"]);
  });
  after(async () => {
    await t.close();
  });

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t.endpoint, ["apigateway", ...args]);

  test("create-api-key prints the generated value and enabled; get-api-keys lists items with values (rows 50/52)", async () => {
    const key = await aws("create-api-key", "--name", "k1", "--enabled");
    assert.match(String(key["value"]), /^[A-Za-z0-9]{40}$/);
    assert.equal(key["enabled"], true);
    assert.equal(typeof key["createdDate"], "number", "CLI v1 prints epoch timestamps");
    await aws("create-api-key", "--name", "other");
    const listed = await aws("get-api-keys", "--include-values", "--name-query", "k");
    const items = listed["items"] as { name: string; value?: string }[];
    assert.deepEqual(items.map((i) => i.name), ["k1"]);
    assert.equal(items[0]!.value, key["value"]);
  });

  test("create-usage-plan, create-usage-plan-key and get-usage (rows 55/58)", async () => {
    const plan = await aws(
      "create-usage-plan",
      "--name",
      "basic",
      "--api-stages",
      `apiId=${api},stage=dev`,
      "--throttle",
      "burstLimit=20,rateLimit=10",
      "--quota",
      "limit=100,period=DAY",
    );
    assert.match(String(plan["id"]), /^[a-z0-9]{6}$/);
    assert.deepEqual(plan["apiStages"], [{ apiId: api, stage: "dev" }]);
    assert.deepEqual(plan["throttle"], { burstLimit: 20, rateLimit: 10 });
    assert.deepEqual(plan["quota"], { limit: 100, offset: 0, period: "DAY" });
    const key = await aws("create-api-key", "--name", "plan-key", "--enabled");
    const planKey = await aws("create-usage-plan-key", "--usage-plan-id", String(plan["id"]), "--key-id", String(key["id"]), "--key-type", "API_KEY");
    assert.deepEqual(planKey, { id: key["id"], type: "API_KEY", value: key["value"], name: "plan-key" });
    const usage = await aws("get-usage", "--usage-plan-id", String(plan["id"]), "--start-date", "2024-06-01", "--end-date", "2024-06-03");
    assert.equal(usage["usagePlanId"], plan["id"]);
    assert.equal(usage["startDate"], "2024-06-01");
    assert.equal(usage["endDate"], "2024-06-03");
    assert.deepEqual(usage["items"], { [String(key["id"])]: [[0, 100], [0, 100], [0, 100]] });
  });
});
