// Lambda functions behind API Gateway in tests: create a function from inline sources and build the
// integration/authorizer URIs that point at it.
import https from "node:https";
import * as L from "@aws-sdk/client-lambda";
import { ACCOUNT, REGION, type TestGateway } from "./gateway.js";
import { ROLE, lambdaClient, zipOf } from "./lambda-fixtures.js";

export const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`. */
export const invocationUri = (functionArnOrName: string): string =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArnOrName}/invocations`;

export async function createFunction(
  t: TestGateway,
  name: string,
  files: Record<string, string>,
  options: { handler?: string; timeout?: number; environment?: Record<string, string> } = {},
): Promise<string> {
  const lambda = lambdaClient(t.endpoint);
  try {
    await lambda.send(
      new L.CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Handler: options.handler ?? "index.handler",
        Role: ROLE,
        Code: { ZipFile: zipOf(files) },
        ...(options.timeout !== undefined ? { Timeout: options.timeout } : {}),
        ...(options.environment !== undefined ? { Environment: { Variables: options.environment } } : {}),
      }),
    );
  } finally {
    lambda.destroy();
  }
  return functionArn(name);
}

/** The response header names exactly as sent (casing checks, which `dataRequest`'s merged view cannot make). */
export function responseHeaderNames(t: TestGateway, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: t.gw.dataPort,
        method: init.method ?? "GET",
        path,
        ca: t.gw.dataPlane.certificate,
        servername: "localhost",
        agent: false,
        headers: init.headers ?? {},
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.rawHeaders.filter((_, i) => i % 2 === 0)));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}
