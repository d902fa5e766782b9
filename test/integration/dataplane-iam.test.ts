// AWS_IAM methods (data-plane.md §5.2): SigV4 for service execute-api, checked against the gateway's credentials,
// driven over HTTPS with requests signed the way the AWS SDK signs them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { dataRequest, deployApi, userPath, type DataResponse, type MethodSpec } from "../helpers/dataplane.js";
import { ACCOUNT, REGION, TEST_CREDENTIALS, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const whoAmI = (path: string, authorizationType: string): MethodSpec => ({
  path,
  httpMethod: "GET",
  authorizationType,
  integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
  responses: [
    {
      statusCode: "200",
      selectionPattern: "",
      responseTemplates: {
        "application/json":
          '{"caller":"$context.identity.caller","user":"$context.identity.user","userArn":"$context.identity.userArn","accountId":"$context.identity.accountId","accessKey":"$context.identity.accessKey"}',
      },
    },
  ],
});

describe("AWS_IAM methods", () => {
  let t: TestGateway;
  let path: string;
  let openPath: string;

  async function signed(target: string, options: { credentials?: typeof TEST_CREDENTIALS; presign?: boolean; service?: string } = {}): Promise<DataResponse> {
    const [pathname, search = ""] = target.split("?");
    const query = Object.fromEntries(new URLSearchParams(search));
    const host = `localhost:${t.gw.dataPort}`;
    const request = new HttpRequest({ method: "GET", protocol: "https:", hostname: "localhost", port: t.gw.dataPort, path: pathname!, query, headers: { host } });
    const signer = new SignatureV4({ service: options.service ?? "execute-api", region: REGION, credentials: options.credentials ?? TEST_CREDENTIALS, sha256: Hash.bind(null, "sha256") });
    if (options.presign) {
      const presigned = (await signer.presign(request, { expiresIn: 60 })) as HttpRequest;
      const qs = new URLSearchParams(presigned.query as Record<string, string>).toString();
      return dataRequest(t, `${presigned.path}?${qs}`, { host });
    }
    const signedRequest = (await signer.sign(request)) as HttpRequest;
    return dataRequest(t, target, { headers: signedRequest.headers as Record<string, string> });
  }

  before(async () => {
    t = await startTestGateway();
    const { apiId, stage } = await deployApi(t, [whoAmI("/secure", "AWS_IAM"), whoAmI("/open", "NONE")]);
    path = userPath(apiId, stage, "/secure");
    openPath = userPath(apiId, stage, "/open");
  });
  after(async () => {
    await t.close();
  });

  test("a request signed with the gateway's credentials is served, with the caller in $context.identity", async () => {
    const res = await signed(path);
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), {
      caller: ACCOUNT,
      user: ACCOUNT,
      userArn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKey: TEST_CREDENTIALS.accessKeyId,
    });
    assert.equal((await signed(`${path}?a=1&b=two`)).status, 200, "query strings are part of the signature");
    assert.equal((await signed(path, { presign: true })).status, 200, "presigned URLs work too");
  });

  test("unsigned: 403 Missing Authentication Token; a NONE method needs nothing", async () => {
    const res = await dataRequest(t, path);
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
    assert.equal(res.body, '{"message":"Missing Authentication Token"}');
    const open = await dataRequest(t, openPath);
    assert.equal(open.status, 200);
    assert.equal(JSON.parse(open.body).caller, "", "no identity without a signature");
  });

  test("a wrong secret, an unknown key, a signature for another service or a malformed header: AWS's 403s", async () => {
    const wrongSecret = await signed(path, { credentials: { ...TEST_CREDENTIALS, secretAccessKey: "not-the-secret-0123456789012345678901" } });
    assert.equal(wrongSecret.status, 403);
    assert.equal(wrongSecret.headers["x-amzn-errortype"], "InvalidSignatureException");
    assert.match(wrongSecret.body, /^\{"message":"The request signature we calculated does not match the signature you provided\./);

    const unknownKey = await signed(path, { credentials: { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: TEST_CREDENTIALS.secretAccessKey } });
    assert.equal(unknownKey.status, 403);
    assert.equal(unknownKey.headers["x-amzn-errortype"], "UnrecognizedClientException");
    assert.equal(unknownKey.body, '{"message":"The security token included in the request is invalid."}');

    const otherService = await signed(path, { service: "lambda" });
    assert.equal(otherService.status, 403);
    assert.equal(otherService.headers["x-amzn-errortype"], "InvalidSignatureException");

    const malformed = await dataRequest(t, path, { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIA" } });
    assert.equal(malformed.status, 403);
    assert.equal(malformed.headers["x-amzn-errortype"], "IncompleteSignatureException");
  });
});
