// Shared API fixtures, built only through the SDK so they exercise the same path a user's script does.
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";

export interface PetsApi {
  restApiId: string;
  rootResourceId: string;
  petsId: string;
}

/**
 * The conformance suite's "pets API" (sdk-conformance.md): `/pets` with GET (NONE), a MOCK integration
 * answering 200, method response 200 and integration response 200 whose template returns `{"ok":true}`.
 */
export async function createPetsApi(ag: AG.APIGatewayClient, name = "pets"): Promise<PetsApi> {
  const api = await ag.send(new AG.CreateRestApiCommand({ name }));
  const restApiId = api.id!;
  const rootResourceId = api.rootResourceId!;
  const pets = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: rootResourceId, pathPart: "pets" }));
  const petsId = pets.id!;
  const method = { restApiId, resourceId: petsId, httpMethod: "GET" };
  await ag.send(new AG.PutMethodCommand({ ...method, authorizationType: "NONE" }));
  await ag.send(
    new AG.PutIntegrationCommand({ ...method, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
  );
  await ag.send(new AG.PutMethodResponseCommand({ ...method, statusCode: "200" }));
  await ag.send(
    new AG.PutIntegrationResponseCommand({
      ...method,
      statusCode: "200",
      selectionPattern: "",
      responseTemplates: { "application/json": '{"ok":true}' },
    }),
  );
  return { restApiId, rootResourceId, petsId };
}

/** The pets API deployed to stage `dev`; returns the deployment id too. */
export async function createDeployedPetsApi(ag: AG.APIGatewayClient, stageName = "dev"): Promise<PetsApi & { deploymentId: string }> {
  const api = await createPetsApi(ag);
  const dep = await ag.send(new AG.CreateDeploymentCommand({ restApiId: api.restApiId, stageName }));
  return { ...api, deploymentId: dep.id! };
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Asserts a rejected SDK call: the modeled exception class (instanceof and name) or, for unmodeled codes, the
 * name; the HTTP status; and, when given, the exact message (string) or its stable part (RegExp).
 */
export function sdkError(expected: ErrorClass | string, status: number, message?: string | RegExp) {
  return (err: unknown): boolean => {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const name = typeof expected === "string" ? expected : expected.name;
    if (e.name !== name) throw new Error(`expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof expected !== "string" && !(err instanceof expected)) throw new Error(`not an instance of ${name}`);
    if (e.$metadata?.httpStatusCode !== status) throw new Error(`expected HTTP ${status}, got ${e.$metadata?.httpStatusCode}`);
    if (typeof message === "string" && e.message !== message) {
      throw new Error(`expected message ${JSON.stringify(message)}, got ${JSON.stringify(e.message)}`);
    }
    if (message instanceof RegExp && !message.test(e.message)) throw new Error(`message ${JSON.stringify(e.message)} does not match ${message}`);
    return true;
  };
}

/** `assert.rejects` with sdkError: the call fails with that exception, status and (when given) message. */
export async function rejectsWith(promise: Promise<unknown>, expected: ErrorClass | string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, sdkError(expected, status, message));
}
