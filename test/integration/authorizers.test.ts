import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:auth/invocations`;
const USER_POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_abc123`;
const HEADER = "method.request.header.Authorization";

describe("Authorizer operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function newApi(): Promise<{ apiId: string; rootId: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "auth" }));
    return { apiId: api.id!, rootId: api.rootResourceId! };
  }

  const createToken = (apiId: string, extra: Partial<AG.CreateAuthorizerCommandInput> = {}): Promise<AG.CreateAuthorizerCommandOutput> =>
    t.ag.send(new AG.CreateAuthorizerCommand({ restApiId: apiId, name: "tok", type: "TOKEN", authorizerUri: LAMBDA_URI, identitySource: HEADER, ...extra }));

  test("a TOKEN authorizer is created with a 6-char id and a 300 s TTL, and a CUSTOM method can use it", async () => {
    const { apiId, rootId } = await newApi();
    const res = await createToken(apiId);
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.match(res.id!, /^[a-z0-9]{6}$/);
    assert.equal(res.name, "tok");
    assert.equal(res.type, "TOKEN");
    assert.equal(res.authorizerUri, LAMBDA_URI);
    assert.equal(res.identitySource, HEADER);
    assert.equal(res.authorizerResultTtlInSeconds, 300);
    assert.equal(res.authType, "custom");
    const method = await t.ag.send(
      new AG.PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "DELETE", authorizationType: "CUSTOM", authorizerId: res.id! }),
    );
    assert.equal(method.$metadata.httpStatusCode, 201);
    assert.equal(method.authorizerId, res.id);
    const list = await t.ag.send(new AG.GetAuthorizersCommand({ restApiId: apiId }));
    assert.equal(list.items?.length, 1);
    assert.equal(list.items?.[0]?.id, res.id);
    const got = await t.ag.send(new AG.GetAuthorizerCommand({ restApiId: apiId, authorizerId: res.id! }));
    assert.equal(got.authorizerResultTtlInSeconds, 300);
    assert.equal(got.identitySource, HEADER);
  });

  test("REQUEST and COGNITO_USER_POOLS authorizers keep every field they were given", async () => {
    const { apiId } = await newApi();
    const request = await t.ag.send(
      new AG.CreateAuthorizerCommand({
        restApiId: apiId,
        name: "req",
        type: "REQUEST",
        authorizerUri: LAMBDA_URI,
        authorizerCredentials: `arn:aws:iam::${ACCOUNT}:role/invoke`,
        identitySource: "method.request.header.Auth, method.request.querystring.tenant, stageVariables.zone, context.path",
        authorizerResultTtlInSeconds: 0,
        authType: "custom",
      }),
    );
    assert.equal(request.authorizerResultTtlInSeconds, 0);
    assert.equal(request.authorizerCredentials, `arn:aws:iam::${ACCOUNT}:role/invoke`);
    assert.equal(request.authType, "custom");
    const noSources = await t.ag.send(
      new AG.CreateAuthorizerCommand({ restApiId: apiId, name: "open", type: "REQUEST", authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 0 }),
    );
    assert.equal(noSources.identitySource, undefined);
    assert.equal(noSources.authType, "custom");
    const cognito = await t.ag.send(
      new AG.CreateAuthorizerCommand({
        restApiId: apiId,
        name: "pool",
        type: "COGNITO_USER_POOLS",
        providerARNs: [USER_POOL],
        identitySource: HEADER,
        authorizerResultTtlInSeconds: 3600,
      }),
    );
    assert.deepEqual(cognito.providerARNs, [USER_POOL]);
    assert.equal(cognito.authorizerUri, undefined);
    assert.equal(cognito.authType, "cognito_user_pools");
    const list = await t.ag.send(new AG.GetAuthorizersCommand({ restApiId: apiId, limit: 2 }));
    assert.deepEqual(
      list.items?.map((a) => a.name),
      ["req", "open"],
    );
    const rest = await t.ag.send(new AG.GetAuthorizersCommand({ restApiId: apiId, limit: 2, position: list.position }));
    assert.deepEqual(
      rest.items?.map((a) => a.name),
      ["pool"],
    );
    assert.equal(rest.position, undefined);
  });

  test("CreateAuthorizer validates type, TTL, URI, identity sources and provider ARNs", async () => {
    const { apiId } = await newApi();
    await rejectsWith(
      createToken(apiId, { type: "JWT" as AG.AuthorizerType }),
      "ValidationException",
      400,
      "1 validation error detected: Value 'JWT' at 'createAuthorizerInput.type' failed to satisfy constraint: Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]",
    );
    for (const ttl of [-1, 3601]) {
      await rejectsWith(
        createToken(apiId, { authorizerResultTtlInSeconds: ttl }),
        "BadRequestException",
        400,
        `Invalid authorizerResultTtlInSeconds specified: ${ttl}. Must be between 0 and 3600`,
      );
    }
    await rejectsWith(
      createToken(apiId, { authorizerUri: undefined }),
      "BadRequestException",
      400,
      "Invalid Authorizer URI: null. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.",
    );
    const badUri = "arn:aws:apigateway:region:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations";
    await rejectsWith(
      createToken(apiId, { authorizerUri: badUri }),
      "BadRequestException",
      400,
      `Invalid Authorizer URI: ${badUri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`,
    );
    for (const source of ["method.request.querystring.key", "method.request.header.A, method.request.header.B"]) {
      await rejectsWith(
        createToken(apiId, { identitySource: source }),
        "BadRequestException",
        400,
        `Invalid token source expression: ${source}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.`,
      );
    }
    await rejectsWith(
      createToken(apiId, { identitySource: undefined }),
      "BadRequestException",
      400,
      "Invalid token source expression: null. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.",
    );
    await rejectsWith(
      createToken(apiId, { type: "REQUEST", identitySource: "method.request.path.id" }),
      "BadRequestException",
      400,
      "Invalid identity source expression specified: method.request.path.id",
    );
    await rejectsWith(
      createToken(apiId, { type: "REQUEST", identitySource: undefined }),
      "BadRequestException",
      400,
      "Identity source is required for REQUEST authorizers when authorizer caching is enabled",
    );
    await rejectsWith(
      t.ag.send(new AG.CreateAuthorizerCommand({ restApiId: apiId, name: "pool", type: "COGNITO_USER_POOLS" })),
      "BadRequestException",
      400,
      "ProviderARNs need to be valid Cognito Userpools. Invalid ARNs- ",
    );
    await rejectsWith(
      t.ag.send(new AG.CreateAuthorizerCommand({ restApiId: apiId, name: "pool", type: "COGNITO_USER_POOLS", providerARNs: [USER_POOL, "arn:aws:cognito-identity:us-east-1:1:identitypool/x"] })),
      "BadRequestException",
      400,
      "ProviderARNs need to be valid Cognito Userpools. Invalid ARNs- arn:aws:cognito-identity:us-east-1:1:identitypool/x",
    );
    await rejectsWith(
      createToken(apiId, { identityValidationExpression: "([a-z" }),
      "BadRequestException",
      400,
      "Invalid identity validation expression specified: ([a-z",
    );
    const raw = await t.signedFetch("POST", `/restapis/${apiId}/authorizers`, {
      body: JSON.stringify({ type: "TOKEN", authorizerUri: LAMBDA_URI, identitySource: HEADER }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(raw.status, 400);
    assert.equal(
      ((await raw.json()) as { message: string }).message,
      "1 validation error detected: Value null at 'createAuthorizerInput.name' failed to satisfy constraint: Member must not be null",
    );
    const list = await t.ag.send(new AG.GetAuthorizersCommand({ restApiId: apiId }));
    assert.equal(list.items?.length ?? 0, 0);
  });

  test("an unknown API: CreateAuthorizer is AWS's concurrent-modification conflict, Get names the authorizer, the list names the API", async () => {
    await rejectsWith(
      createToken("nosuchapi0"),
      "ConflictException",
      409,
      "Unable to complete operation due to concurrent modification. Please try again later.",
    );
    await rejectsWith(
      t.ag.send(new AG.GetAuthorizerCommand({ restApiId: "nosuchapi0", authorizerId: "abc123" })),
      "NotFoundException",
      404,
      "Invalid Authorizer identifier specified",
    );
    await rejectsWith(
      t.ag.send(new AG.GetAuthorizersCommand({ restApiId: "nosuchapi0" })),
      "NotFoundException",
      404,
      `Invalid API identifier specified ${ACCOUNT}:nosuchapi0`,
    );
    const { apiId } = await newApi();
    for (const send of [
      () => t.ag.send(new AG.GetAuthorizerCommand({ restApiId: apiId, authorizerId: "abc123" })),
      () => t.ag.send(new AG.UpdateAuthorizerCommand({ restApiId: apiId, authorizerId: "abc123", patchOperations: [] })),
      () => t.ag.send(new AG.DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: "abc123" })),
    ]) {
      await rejectsWith(send(), "NotFoundException", 404, "Invalid Authorizer identifier specified");
    }
  });

  test("UpdateAuthorizer replaces scalar paths, adds and removes provider ARNs, and re-validates the result", async () => {
    const { apiId } = await newApi();
    const a = await createToken(apiId);
    const update = (...ops: AG.PatchOperation[]): Promise<AG.UpdateAuthorizerCommandOutput> =>
      t.ag.send(new AG.UpdateAuthorizerCommand({ restApiId: apiId, authorizerId: a.id!, patchOperations: ops }));
    const res = await update(
      { op: "replace", path: "/name", value: "renamed" },
      { op: "replace", path: "/authorizerResultTtlInSeconds", value: "60" },
      { op: "replace", path: "/identitySource", value: "method.request.header.X-Token" },
      { op: "replace", path: "/identityValidationExpression", value: "^Bearer .+$" },
      { op: "replace", path: "/authorizerCredentials", value: `arn:aws:iam::${ACCOUNT}:role/r` },
      { op: "replace", path: "/authType", value: "custom" },
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.name, "renamed");
    assert.equal(res.authorizerResultTtlInSeconds, 60);
    assert.equal(res.identitySource, "method.request.header.X-Token");
    assert.equal(res.identityValidationExpression, "^Bearer .+$");
    assert.equal(res.authType, "custom");
    const cleared = await update({ op: "replace", path: "/identityValidationExpression", value: "" });
    assert.equal(cleared.identityValidationExpression, undefined);

    const toCognito = await update(
      { op: "replace", path: "/type", value: "COGNITO_USER_POOLS" },
      { op: "add", path: "/providerARNs", value: USER_POOL },
      { op: "add", path: "/providerARNs", value: `${USER_POOL}2` },
    );
    assert.equal(toCognito.type, "COGNITO_USER_POOLS");
    assert.deepEqual(toCognito.providerARNs, [USER_POOL, `${USER_POOL}2`]);
    const removed = await update({ op: "remove", path: "/providerARNs", value: USER_POOL });
    assert.deepEqual(removed.providerARNs, [`${USER_POOL}2`]);

    await rejectsWith(
      update({ op: "remove", path: "/providerARNs", value: `${USER_POOL}2` }),
      "BadRequestException",
      400,
      "ProviderARNs need to be valid Cognito Userpools. Invalid ARNs- ",
    );
    await rejectsWith(
      update({ op: "replace", path: "/authorizerResultTtlInSeconds", value: "7200" }),
      "BadRequestException",
      400,
      "Invalid authorizerResultTtlInSeconds specified: 7200. Must be between 0 and 3600",
    );
    await rejectsWith(
      update({ op: "replace", path: "/authorizerResultTtlInSeconds", value: "soon" }),
      "BadRequestException",
      400,
      "Invalid integer value soon for /authorizerResultTtlInSeconds",
    );
    await rejectsWith(
      update({ op: "replace", path: "/type", value: "JWT" }),
      "BadRequestException",
      400,
      "Invalid authorizer type specified: JWT. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS",
    );
    await rejectsWith(update({ op: "replace", path: "/id", value: "x" }), "BadRequestException", 400, "Invalid patch path /id");
    await rejectsWith(update({ op: "add", path: "/name", value: "x" }), "BadRequestException", 400, "Invalid patch operation specified. Must be one of: [replace]");
    await rejectsWith(update({ op: "replace", path: "/name", value: "" }), "BadRequestException", 400, "Invalid null or empty value in /name");
    // Switching back to TOKEN needs a Lambda URI again: the whole request is refused and nothing changes.
    await rejectsWith(
      update({ op: "replace", path: "/type", value: "TOKEN" }, { op: "replace", path: "/authorizerUri", value: "not-an-arn" }),
      "BadRequestException",
      400,
      "Invalid Authorizer URI: not-an-arn. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.",
    );
    const unchanged = await t.ag.send(new AG.GetAuthorizerCommand({ restApiId: apiId, authorizerId: a.id! }));
    assert.equal(unchanged.type, "COGNITO_USER_POOLS");
    assert.deepEqual(unchanged.providerARNs, [`${USER_POOL}2`]);
  });

  test("DeleteAuthorizer refuses while a method uses the authorizer, then returns 202", async () => {
    const { apiId, rootId } = await newApi();
    const a = await createToken(apiId);
    const pets = await t.ag.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "pets" }));
    await t.ag.send(new AG.PutMethodCommand({ restApiId: apiId, resourceId: pets.id!, httpMethod: "GET", authorizationType: "CUSTOM", authorizerId: a.id! }));
    await rejectsWith(
      t.ag.send(new AG.DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: a.id! })),
      "ConflictException",
      409,
      "Cannot delete authorizer 'tok', is referenced in method: /pets/GET",
    );
    await t.ag.send(new AG.DeleteMethodCommand({ restApiId: apiId, resourceId: pets.id!, httpMethod: "GET" }));
    const res = await t.ag.send(new AG.DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: a.id! }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    await rejectsWith(
      t.ag.send(new AG.GetAuthorizerCommand({ restApiId: apiId, authorizerId: a.id! })),
      "NotFoundException",
      404,
      "Invalid Authorizer identifier specified",
    );
  });
});
