import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { verifySigV4, type Credentials, type SignedRequest, type VerifyOptions, type VerifyResult } from "../../src/auth/sigv4-verifier.js";

const CREDS: Credentials = { accessKeyId: "AKIAUNITTEST00000001", secretAccessKey: "unit-test-secret-key-0123456789abcdefghij" };
const NOW = new Date("2024-01-01T10:10:01Z");
const OPTIONS: VerifyOptions = { region: "us-east-1", services: ["apigateway"], now: NOW };
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

interface SignInput {
  method?: string;
  /** Already percent-encoded, as the SDK puts it on the wire. */
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  credentials?: Credentials;
  region?: string;
  service?: string;
  signingDate?: Date;
  presignExpires?: number;
  /** The SDK sends x-amz-content-sha256; other clients may not. */
  withoutPayloadHeader?: boolean;
}

function rawQuery(query: Record<string, string | string[] | null>): string {
  return Object.entries(query)
    .flatMap(([k, v]) => (v === null ? [] : Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join("&");
}

/** Signs like the AWS SDK does, then turns the request into what the server sees on the wire. */
async function sign(input: SignInput = {}): Promise<SignedRequest> {
  const request = new HttpRequest({
    method: input.method ?? "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 9001,
    path: input.path ?? "/restapis",
    query: input.query ?? {},
    headers: { host: "127.0.0.1:9001", ...(input.body !== undefined ? { "content-type": "application/json" } : {}), ...(input.headers ?? {}) },
    ...(input.body !== undefined ? { body: input.body } : {}),
  });
  const signer = new SignatureV4({
    service: input.service ?? "apigateway",
    region: input.region ?? "us-east-1",
    credentials: input.credentials ?? CREDS,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: !input.withoutPayloadHeader,
  });
  const signingDate = input.signingDate ?? NOW;
  const signed = (
    input.presignExpires !== undefined ? await signer.presign(request, { expiresIn: input.presignExpires, signingDate }) : await signer.sign(request, { signingDate })
  ) as HttpRequest;
  const qs = rawQuery(signed.query);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { method: signed.method, url: signed.path + (qs ? `?${qs}` : ""), headers, body: Buffer.from(input.body ?? "") };
}

function assertFailure(result: VerifyResult, kind: string, message: string): void {
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.kind, kind);
  assert.equal(result.message, message);
}

describe("SigV4 verification", () => {
  test("a request signed in the Authorization header verifies and names its service and key", async () => {
    const result = await verifySigV4(await sign({ body: '{"name":"demo"}' }), CREDS, OPTIONS);
    assert.deepEqual(result, { ok: true, service: "apigateway", accessKeyId: CREDS.accessKeyId });
  });

  test("a presigned URL verifies", async () => {
    const req = await sign({ method: "GET", path: "/restapis", query: { limit: "2" }, presignExpires: 300 });
    assert.match(req.url, /X-Amz-Signature=/);
    assert.equal(req.headers["authorization"], undefined);
    assert.deepEqual(await verifySigV4(req, CREDS, OPTIONS), { ok: true, service: "apigateway", accessKeyId: CREDS.accessKeyId });
  });

  test("a signature made with another secret is InvalidSignature with AWS's mismatch text", async () => {
    const req = await sign({ credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey: "wrong-secret" } });
    assertFailure(await verifySigV4(req, CREDS, OPTIONS), "InvalidSignature", MISMATCH);
  });

  test("an unknown access key is UnrecognizedClient", async () => {
    const req = await sign({ credentials: { accessKeyId: "AKIAOTHER00000000000", secretAccessKey: CREDS.secretAccessKey } });
    assertFailure(await verifySigV4(req, CREDS, OPTIONS), "UnrecognizedClient", "The security token included in the request is invalid.");
  });

  test("no Authorization header and no presigned query is MissingAuthenticationToken", async () => {
    const req: SignedRequest = { method: "GET", url: "/restapis", headers: { host: "127.0.0.1:9001" }, body: Buffer.alloc(0) };
    assertFailure(await verifySigV4(req, CREDS, OPTIONS), "MissingAuthenticationToken", "Missing Authentication Token");
  });

  test("'Bearer abc' is IncompleteSignature naming the token without an equal sign", async () => {
    const req: SignedRequest = { method: "GET", url: "/restapis", headers: { authorization: "Bearer abc" }, body: Buffer.alloc(0) };
    assertFailure(
      await verifySigV4(req, CREDS, OPTIONS),
      "IncompleteSignature",
      "'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'.",
    );
  });

  test("a complete header under another algorithm is IncompleteSignature", async () => {
    const good = await sign();
    const auth = String(good.headers["authorization"]).replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");
    assertFailure(
      await verifySigV4({ ...good, headers: { ...good.headers, authorization: auth } }, CREDS, OPTIONS),
      "IncompleteSignature",
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'. Use 'AWS4-HMAC-SHA256'.",
    );
  });

  test("a header of key=value pairs without SigV4's parameters lists every missing one", async () => {
    const req: SignedRequest = { method: "GET", url: "/restapis", headers: { authorization: "Bearer abc=" }, body: Buffer.alloc(0) };
    assertFailure(
      await verifySigV4(req, CREDS, OPTIONS),
      "IncompleteSignature",
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        "Authorization=Bearer abc=",
    );
  });

  test("a signature 6 minutes old has expired, one 6 minutes ahead is not yet current", async () => {
    const old = await sign({ signingDate: new Date(NOW.getTime() - 6 * 60_000) });
    assertFailure(
      await verifySigV4(old, CREDS, OPTIONS),
      "InvalidSignature",
      "Signature expired: 20240101T100401Z is now earlier than 20240101T100501Z (20240101T101001Z - 5 min.)",
    );
    const ahead = await sign({ signingDate: new Date(NOW.getTime() + 6 * 60_000) });
    assertFailure(
      await verifySigV4(ahead, CREDS, OPTIONS),
      "InvalidSignature",
      "Signature not yet current: 20240101T101601Z is still later than 20240101T101501Z (20240101T101001Z + 5 min.)",
    );
    const withinSkew = await sign({ signingDate: new Date(NOW.getTime() - 4 * 60_000) });
    assert.equal((await verifySigV4(withinSkew, CREDS, OPTIONS)).ok, true);
  });

  test("a credential scoped to another region or service is refused", async () => {
    assertFailure(await verifySigV4(await sign({ region: "eu-west-1" }), CREDS, OPTIONS), "InvalidSignature", "Credential should be scoped to a valid region. ");
    assertFailure(
      await verifySigV4(await sign({ service: "execute-api" }), CREDS, OPTIONS),
      "InvalidSignature",
      "Credential should be scoped to correct service: 'apigateway'. ",
    );
    const lambda = await verifySigV4(await sign({ service: "lambda" }), CREDS, { ...OPTIONS, services: ["apigateway", "lambda"] });
    assert.deepEqual(lambda, { ok: true, service: "lambda", accessKeyId: CREDS.accessKeyId });
  });

  test("a body changed after signing fails, whether or not x-amz-content-sha256 was sent", async () => {
    const body = '{"name":"demo"}';
    const withHash = await sign({ body });
    assert.equal(withHash.headers["x-amz-content-sha256"], createHash("sha256").update(body).digest("hex"));
    assert.equal((await verifySigV4(withHash, CREDS, OPTIONS)).ok, true);
    assertFailure(
      await verifySigV4({ ...withHash, body: Buffer.from('{"name":"evil"}') }, CREDS, OPTIONS),
      "InvalidSignature",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    const plain = await sign({ body, withoutPayloadHeader: true });
    assert.equal(plain.headers["x-amz-content-sha256"], undefined);
    assert.equal((await verifySigV4(plain, CREDS, OPTIONS)).ok, true);
    assertFailure(await verifySigV4({ ...plain, body: Buffer.from('{"name":"evil"}') }, CREDS, OPTIONS), "InvalidSignature", MISMATCH);
  });

  test("ARN path labels with encoded slashes and repeated query keys verify", async () => {
    const arn = encodeURIComponent("arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev");
    const tags = await sign({ method: "PUT", path: `/tags/${arn}`, body: '{"tags":{"a":"b"}}' });
    assert.match(tags.url, /^\/tags\/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa1b2c3d4e5%2Fstages%2Fdev$/);
    assert.equal((await verifySigV4(tags, CREDS, OPTIONS)).ok, true);
    const repeated = await sign({ method: "GET", path: "/restapis/abc/resources", query: { embed: ["methods", "x"], name: "a b" } });
    assert.match(repeated.url, /embed=methods&embed=x/);
    assert.equal((await verifySigV4(repeated, CREDS, OPTIONS)).ok, true);
    assertFailure(await verifySigV4({ ...repeated, url: repeated.url.replace("embed=x", "embed=y") }, CREDS, OPTIONS), "InvalidSignature", MISMATCH);
  });

  test("a presigned URL past its X-Amz-Expires has expired", async () => {
    const req = await sign({ method: "GET", presignExpires: 60, signingDate: new Date(NOW.getTime() - 120_000) });
    assertFailure(
      await verifySigV4(req, CREDS, OPTIONS),
      "InvalidSignature",
      "Signature expired: 20240101T100801Z is now earlier than 20240101T100901Z (20240101T101001Z - 60 sec.)",
    );
    const fresh = await sign({ method: "GET", presignExpires: 60, signingDate: new Date(NOW.getTime() - 30_000) });
    assert.equal((await verifySigV4(fresh, CREDS, OPTIONS)).ok, true);
  });

  test("a tampered presigned signature fails", async () => {
    const req = await sign({ method: "GET", presignExpires: 300 });
    const tampered = req.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`);
    assertFailure(await verifySigV4({ ...req, url: tampered }, CREDS, OPTIONS), "InvalidSignature", MISMATCH);
  });
});
