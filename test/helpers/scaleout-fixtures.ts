// SDK fixtures shared by the cluster and multi-node tests: a MOCK API with a key-required and an open method,
// and a key in a usage plan.
import * as AG from "@aws-sdk/client-api-gateway";

/** An API with `GET /keyed` (API key required) and `GET /open`, both MOCK 200, deployed to `stage`. */
export async function deployMockApi(ag: AG.APIGatewayClient, stage = "prod"): Promise<string> {
  const api = await ag.send(new AG.CreateRestApiCommand({ name: `scaleout-${Math.random().toString(36).slice(2, 8)}` }));
  const restApiId = api.id!;
  for (const [pathPart, apiKeyRequired] of [
    ["keyed", true],
    ["open", false],
  ] as const) {
    const { id: resourceId } = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }));
    await ag.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod: "GET", authorizationType: "NONE", apiKeyRequired }));
    await ag.send(
      new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
    );
    await ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod: "GET", statusCode: "200" }));
    await ag.send(
      new AG.PutIntegrationResponseCommand({
        restApiId,
        resourceId,
        httpMethod: "GET",
        statusCode: "200",
        selectionPattern: "",
        responseTemplates: { "application/json": '{"requestId":"$context.requestId"}' },
      }),
    );
  }
  await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: stage }));
  return restApiId;
}

export interface PlannedKey {
  readonly keyId: string;
  readonly value: string;
  readonly planId: string;
}

/** A new enabled key in a new usage plan on `apiId`/`stage`. */
export async function keyInPlan(
  ag: AG.APIGatewayClient,
  apiId: string,
  options: { stage?: string; throttle?: AG.ThrottleSettings; quota?: AG.QuotaSettings } = {},
): Promise<PlannedKey> {
  const key = await ag.send(new AG.CreateApiKeyCommand({ name: `key-${Math.random().toString(36).slice(2, 8)}`, enabled: true }));
  const plan = await ag.send(
    new AG.CreateUsagePlanCommand({
      name: `plan-${key.id}`,
      apiStages: [{ apiId, stage: options.stage ?? "prod" }],
      ...(options.throttle ? { throttle: options.throttle } : {}),
      ...(options.quota ? { quota: options.quota } : {}),
    }),
  );
  await ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
  return { keyId: key.id!, value: key.value!, planId: plan.id! };
}

export const userPath = (apiId: string, stage: string, path: string): string => `/restapis/${apiId}/${stage}/_user_request_${path}`;

/** Polls `check` every 20 ms until it is true; returns the elapsed milliseconds, or throws after `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
