// The bench's Lambda route: a trivial Node.js function (the same JSON body as the upstream) behind an AWS_PROXY
// integration, so its ratio to HTTP_PROXY is the cost of the event, the function's round trip and the
// response translation. The first request after creating the function measures a cold start.
import { liftThrottles } from "./usage-plan-route.js";
import https from "node:https";
import * as AG from "@aws-sdk/client-api-gateway";
import * as L from "@aws-sdk/client-lambda";
import { zipSync } from "fflate";

export interface LambdaProxyRoute {
  readonly path: string;
  /** Milliseconds of the first request (function process started on demand) and of the second (warm). */
  readonly coldStartMs: number;
  readonly warmMs: number;
}

/** The function both the Tollgate route and serverless-offline (serverless-offline.ts) run. */
export const HANDLER = `exports.handler = async () => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: '{"message":"hello from the lambda","ok":true}\\n' });\n`;

function timedGet(port: number, path: string, ca: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = https.request({ host: "127.0.0.1", port, path, ca, servername: "localhost", agent: false }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`lambda route answered ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

export async function createLambdaProxyRoute(
  adminUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  dataPort: number,
  certificate: string,
): Promise<LambdaProxyRoute> {
  const lambda = new L.LambdaClient({ endpoint: adminUrl, region: "us-east-1", credentials, maxAttempts: 1 });
  const ag = new AG.APIGatewayClient({ endpoint: adminUrl, region: "us-east-1", credentials, maxAttempts: 1 });
  try {
    const fn = await lambda.send(
      new L.CreateFunctionCommand({
        FunctionName: "bench-fn",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/bench",
        Code: { ZipFile: zipSync({ "index.js": new TextEncoder().encode(HANDLER) }) },
      }),
    );
    const api = await ag.send(new AG.CreateRestApiCommand({ name: "bench-lambda", endpointConfiguration: { types: ["REGIONAL"] } }));
    const restApiId = api.id!;
    const resource = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "lambda" }));
    await ag.send(new AG.PutMethodCommand({ restApiId, resourceId: resource.id!, httpMethod: "GET", authorizationType: "NONE" }));
    await ag.send(
      new AG.PutIntegrationCommand({
        restApiId,
        resourceId: resource.id!,
        httpMethod: "GET",
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`,
      }),
    );
    await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "bench" }));
    await liftThrottles(ag, restApiId, "bench");
    const path = `/restapis/${restApiId}/bench/_user_request_/lambda`;
    // The stage registry applies the deployment asynchronously: wait until the route answers at all.
    let coldStartMs = NaN;
    for (let i = 0; i < 50 && Number.isNaN(coldStartMs); i++) {
      try {
        coldStartMs = await timedGet(dataPort, path, certificate);
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const warmMs = await timedGet(dataPort, path, certificate);
    return { path, coldStartMs, warmMs };
  } finally {
    lambda.destroy();
    ag.destroy();
  }
}
