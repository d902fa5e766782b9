// VPC links and client certificates (control-plane.md §3.18; sdk-conformance.md scenario 63).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, REGION, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { sdkError } from "../helpers/fixtures.js";
import type { ClientCertificateDoc } from "../../src/domain/client-certificate.js";

const NLB = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/n/1`;

describe("VPC links and client certificates", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("GenerateClientCertificate returns a real self-signed PEM valid for a year (scenario 63)", async () => {
    const created = await t.ag.send(new AG.GenerateClientCertificateCommand({ description: "c" }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.clientCertificateId!, /^[a-z0-9]{6}$/);
    assert.equal(created.description, "c");
    assert.ok(created.pemEncodedCertificate!.startsWith("-----BEGIN CERTIFICATE-----"));
    assert.ok(created.createdDate instanceof Date && created.expirationDate instanceof Date);
    assert.ok(created.expirationDate > created.createdDate);
    const days = (created.expirationDate.getTime() - created.createdDate.getTime()) / 86_400_000;
    assert.ok(days >= 364 && days <= 366, `valid for ${days} days`);

    const x509 = new X509Certificate(created.pemEncodedCertificate!);
    assert.ok(x509.verify(x509.publicKey), "self-signed");
    assert.equal(Math.floor(new Date(x509.validTo).getTime() / 1000), Math.floor(created.expirationDate.getTime() / 1000));
    // The stored private key matches the certificate (the gateway presents both to backends); it is never returned.
    const stored = await t.gw.store.reader.get<ClientCertificateDoc>("clientcertificate", created.clientCertificateId!);
    assert.ok(x509.checkPrivateKey(createPrivateKey(stored!.privateKeyPem)));
    const raw = await t.signedFetch("GET", `/clientcertificates/${created.clientCertificateId}`);
    assert.doesNotMatch(await raw.text(), /PRIVATE KEY/);
  });

  test("client certificates are listed, updated, tagged and deleted", async () => {
    const a = await t.ag.send(new AG.GenerateClientCertificateCommand({ tags: { team: "core" } }));
    const id = a.clientCertificateId!;
    const list = await t.ag.send(new AG.GetClientCertificatesCommand({}));
    assert.ok(list.items!.some((c) => c.clientCertificateId === id));
    const updated = await t.ag.send(
      new AG.UpdateClientCertificateCommand({ clientCertificateId: id, patchOperations: [{ op: "replace", path: "/description", value: "renamed" }] }),
    );
    assert.equal(updated.description, "renamed");
    assert.equal(updated.pemEncodedCertificate, a.pemEncodedCertificate);
    await assert.rejects(
      t.ag.send(new AG.UpdateClientCertificateCommand({ clientCertificateId: id, patchOperations: [{ op: "replace", path: "/pemEncodedCertificate", value: "x" }] })),
      sdkError(AG.BadRequestException, 400, "Invalid patch path /pemEncodedCertificate"),
    );
    const arn = `arn:aws:apigateway:${REGION}::/clientcertificates/${id}`;
    await t.ag.send(new AG.TagResourceCommand({ resourceArn: arn, tags: { env: "test" } }));
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn: arn }))).tags, { team: "core", env: "test" });
    const del = await t.ag.send(new AG.DeleteClientCertificateCommand({ clientCertificateId: id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await assert.rejects(
      t.ag.send(new AG.GetClientCertificateCommand({ clientCertificateId: id })),
      sdkError(AG.NotFoundException, 404, "Invalid Client Certificate identifier specified"),
    );
  });

  test("CreateVpcLink answers 202 PENDING; the link is AVAILABLE afterwards (scenario 63)", async () => {
    const created = await t.ag.send(new AG.CreateVpcLinkCommand({ name: "l", targetArns: [NLB] }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.ok(created.status === "PENDING" || created.status === "AVAILABLE");
    assert.deepEqual(created.targetArns, [NLB]);
    const got = await t.ag.send(new AG.GetVpcLinkCommand({ vpcLinkId: created.id! }));
    assert.equal(got.status, "AVAILABLE");
    assert.equal(got.statusMessage, "Your vpc link is ready for use");
    assert.deepEqual(got.tags, {});
    await assert.rejects(
      t.ag.send(new AG.GetVpcLinkCommand({ vpcLinkId: "nope00" })),
      sdkError(AG.NotFoundException, 404, "Invalid Vpc Link identifier specified"),
    );
  });

  test("CreateVpcLink validates the name and the target ARNs", async () => {
    await assert.rejects(
      t.ag.send(new AG.CreateVpcLinkCommand({ name: "", targetArns: [NLB] })),
      sdkError(AG.BadRequestException, 400, "Name cannot be empty"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateVpcLinkCommand({ name: "bad", targetArns: ["not-an-arn"] })),
      sdkError(AG.BadRequestException, 400, "Invalid ARN. ARN is not well formed not-an-arn"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateVpcLinkCommand({ name: "none" } as AG.CreateVpcLinkRequest)),
      sdkError("ValidationException", 400, /Value null at 'createVpcLinkInput\.targetArns'/),
    );
  });

  test("VPC links are listed, renamed, tagged and deleted", async () => {
    const link = await t.ag.send(new AG.CreateVpcLinkCommand({ name: "first", description: "d", targetArns: [NLB], tags: { a: "1" } }));
    const id = link.id!;
    const list = await t.ag.send(new AG.GetVpcLinksCommand({}));
    assert.ok(list.items!.some((l) => l.id === id && l.status === "AVAILABLE"));
    const updated = await t.ag.send(
      new AG.UpdateVpcLinkCommand({
        vpcLinkId: id,
        patchOperations: [
          { op: "replace", path: "/name", value: "second" },
          { op: "replace", path: "/description", value: "" },
        ],
      }),
    );
    assert.equal(updated.name, "second");
    assert.equal(updated.description, undefined);
    await assert.rejects(
      t.ag.send(new AG.UpdateVpcLinkCommand({ vpcLinkId: id, patchOperations: [{ op: "add", path: "/name", value: "x" }] })),
      sdkError(AG.BadRequestException, 400, "Invalid patch operation specified. Must be one of: [replace]"),
    );
    const arn = `arn:aws:apigateway:${REGION}::/vpclinks/${id}`;
    assert.deepEqual((await t.ag.send(new AG.GetTagsCommand({ resourceArn: arn }))).tags, { a: "1" });
    const del = await t.ag.send(new AG.DeleteVpcLinkCommand({ vpcLinkId: id }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await assert.rejects(t.ag.send(new AG.GetVpcLinkCommand({ vpcLinkId: id })), sdkError(AG.NotFoundException, 404));
  });
});
