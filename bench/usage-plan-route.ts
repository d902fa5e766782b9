// The bench's API-key route: the same `{proxy+}` HTTP_PROXY route as the plain one, but with apiKeyRequired and
// the key in a usage plan with a throttle and a quota set high enough never to refuse, so the measured difference
// is the cost of enforcement itself (key lookup, plan bucket, durable quota decision, metering). The account
// throttle and the stages' `*/*` throttle are lifted too: AWS's defaults (10,000 rps, burst 5,000) are limits to
// enforce, not capacity to measure.
import * as AG from "@aws-sdk/client-api-gateway";

export interface UsagePlanRoute {
  readonly apiId: string;
  readonly stage: string;
  readonly apiKey: string;
}

const LIFTED = "1000000";

/** Lifts the account throttle and the stage's `*` / `*` throttle of one gateway (every API the bench measures). */
export async function liftThrottles(ag: AG.APIGatewayClient, restApiId: string, stageName: string): Promise<void> {
  await ag.send(
    new AG.UpdateAccountCommand({
      patchOperations: [
        { op: "replace", path: "/throttle/burstLimit", value: LIFTED },
        { op: "replace", path: "/throttle/rateLimit", value: LIFTED },
      ],
    }),
  );
  await ag.send(
    new AG.UpdateStageCommand({
      restApiId,
      stageName,
      patchOperations: [
        { op: "replace", path: "/*/*/throttling/burstLimit", value: LIFTED },
        { op: "replace", path: "/*/*/throttling/rateLimit", value: LIFTED },
      ],
    }),
  );
}

/** Creates the keyed route towards `upstreamPort`, throttles lifted. */
export async function createUsagePlanRoute(
  adminUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  upstreamPort: number,
): Promise<UsagePlanRoute> {
  const ag = new AG.APIGatewayClient({ endpoint: adminUrl, region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    const stage = "bench";
    const api = await ag.send(new AG.CreateRestApiCommand({ name: "bench-keyed", endpointConfiguration: { types: ["REGIONAL"] } }));
    const restApiId = api.id!;
    const proxy = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "{proxy+}" }));
    await ag.send(
      new AG.PutMethodCommand({
        restApiId,
        resourceId: proxy.id!,
        httpMethod: "ANY",
        authorizationType: "NONE",
        apiKeyRequired: true,
        requestParameters: { "method.request.path.proxy": true },
      }),
    );
    await ag.send(
      new AG.PutIntegrationCommand({
        restApiId,
        resourceId: proxy.id!,
        httpMethod: "ANY",
        type: "HTTP_PROXY",
        integrationHttpMethod: "ANY",
        uri: `http://127.0.0.1:${upstreamPort}/{proxy}`,
        requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      }),
    );
    await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: stage }));
    const key = await ag.send(new AG.CreateApiKeyCommand({ name: "bench-key", enabled: true }));
    const plan = await ag.send(
      new AG.CreateUsagePlanCommand({
        name: "bench-plan",
        apiStages: [{ apiId: restApiId, stage }],
        throttle: { burstLimit: 1_000_000, rateLimit: 1_000_000 },
        quota: { limit: 1_000_000_000, offset: 0, period: "DAY" },
      }),
    );
    await ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
    await liftThrottles(ag, restApiId, stage);
    return { apiId: restApiId, stage, apiKey: key.value! };
  } finally {
    ag.destroy();
  }
}
