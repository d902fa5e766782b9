// COGNITO_USER_POOLS authorizers (data-plane.md §5.4) against a local Cognito-compatible IdP: a JWKS served over
// HTTP (TOLLGATE_COGNITO_ENDPOINT), tokens signed with jose, requests over HTTPS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as AG from "@aws-sdk/client-api-gateway";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { dataRequest, putMockGet, userPath, type DataResponse } from "../helpers/dataplane.js";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const POOL = "us-east-1_TollgateTest";
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
const CLIENT_ID = "4kq1example";

describe("Cognito user pool authorizers", () => {
  let t: TestGateway;
  let idp: http.Server;
  let issuer: string;
  let apiId: string;
  let signingKey: PrivateKey;
  let strangerKey: PrivateKey;
  const call = (path: string, token?: string): Promise<DataResponse> =>
    dataRequest(t, userPath(apiId, "test", path), { headers: token === undefined ? {} : { authorization: token } });

  async function token(claims: Record<string, unknown>, options: { key?: PrivateKey; expiresIn?: string; iss?: string } = {}): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(options.iss ?? issuer)
      .setSubject("7d8ca528-4931-4254-9273-ea5ee853f271")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "1h")
      .sign(options.key ?? signingKey);
  }
  const idToken = (extra: Record<string, unknown> = {}, options = {}) =>
    token({ token_use: "id", aud: CLIENT_ID, email: "alice@example.com", "cognito:username": "alice", ...extra }, options);

  before(async () => {
    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair("RS256")).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    idp = http.createServer((req, res) => {
      if (req.url === `/${POOL}/.well-known/jwks.json`) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    issuer = `${endpoint}/${POOL}`;
    t = await startTestGateway({ TOLLGATE_COGNITO_ENDPOINT: endpoint });

    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "cognito" }));
    apiId = api.id!;
    const authorizer = await t.ag.send(
      new AG.CreateAuthorizerCommand({
        restApiId: apiId,
        name: "pool",
        type: "COGNITO_USER_POOLS",
        providerARNs: [`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${POOL}`],
        identitySource: "method.request.header.Authorization",
        identityValidationExpression: CLIENT_ID,
      }),
    );
    const template = `{"email":"$context.authorizer.claims.email","user":"$context.authorizer.claims['cognito:username']","use":"$context.authorizer.claims.token_use"}`;
    const method = (pathPart: string, authorizationScopes?: string[]): Promise<string> =>
      putMockGet(t, apiId, api.rootResourceId!, pathPart, template, { authorizationType: "COGNITO_USER_POOLS", authorizerId: authorizer.id!, authorizationScopes });
    await method("profile");
    await method("orders", ["orders/read"]);
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
  });
  after(async () => {
    await t.close();
    await new Promise<void>((resolve) => idp.close(() => resolve()));
  });

  test("a valid ID token of the pool is let through, its claims in $context.authorizer.claims", async () => {
    const res = await call("/profile", await idToken());
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { email: "alice@example.com", user: "alice", use: "id" });
  });

  test("no token, a foreign signature, another issuer, another audience or an access token: 401 Unauthorized", async () => {
    for (const bad of [
      undefined,
      "not-a-jwt",
      await idToken({}, { key: strangerKey }),
      await idToken({}, { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" }),
      await idToken({ aud: "another-client" }),
      await token({ token_use: "access", scope: "orders/read" }),
    ]) {
      const res = await call("/profile", bad);
      assert.equal(res.status, 401, String(bad));
      assert.equal(res.headers["x-amzn-errortype"], "UnauthorizedException");
      assert.equal(res.body, '{"message":"Unauthorized"}');
    }
  });

  test("an expired token: 401 The incoming token has expired", async () => {
    const res = await call("/profile", await idToken({}, { expiresIn: "-1m" }));
    assert.equal(res.status, 401);
    assert.equal(res.body, '{"message":"The incoming token has expired"}');
  });

  test("a method with authorization scopes wants an access token holding one of them", async () => {
    assert.equal((await call("/orders", await token({ token_use: "access", scope: "openid orders/read" }))).status, 200);
    assert.equal((await call("/orders", await token({ token_use: "access", scope: "orders/write" }))).status, 401);
    assert.equal((await call("/orders", await idToken())).status, 401);
  });
});
