// Client certificates (control-plane.md §3.18), stored as kind "clientcertificate". The gateway presents one to
// HTTP backends when a stage names it (`clientCertificateId`), so the private key is kept with it; only the PEM
// certificate is ever returned by the management API, as AWS does.
import { generate } from "selfsigned";

export interface ClientCertificateDoc {
  clientCertificateId: string;
  description?: string;
  pemEncodedCertificate: string;
  privateKeyPem: string;
  createdDate: number;
  expirationDate: number;
  tags: Record<string, string>;
}

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** A self-signed RSA 2048 client certificate valid for one year, as AWS generates them. */
export async function generateClientCertificate(
  id: string,
  now: number,
): Promise<Pick<ClientCertificateDoc, "pemEncodedCertificate" | "privateKeyPem" | "createdDate" | "expirationDate">> {
  const expirationDate = now + ONE_YEAR_SECONDS;
  const pems = await generate([{ name: "commonName", value: `ApiGateway-${id}` }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now * 1000),
    notAfterDate: new Date(expirationDate * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });
  return { pemEncodedCertificate: pems.cert, privateKeyPem: pems.private, createdDate: now, expirationDate };
}
