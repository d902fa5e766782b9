// The data plane's certificate: the operator's PEM files when configured, otherwise a self-signed certificate for
// `localhost`, `127.0.0.1` and `*.{executeApiDomain}`, generated once into the data dir and reused on restarts so
// clients that pinned or trusted it keep working.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";
import type { TollgateConfig } from "../../config.js";

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Where the certificate lives, for the start-up log and for tests that want to trust it. */
  readonly certFile: string;
}

const CERT_FILE = "dataplane-cert.pem";
const KEY_FILE = "dataplane-key.pem";

export async function loadTlsMaterial(config: TollgateConfig): Promise<TlsMaterial> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    return { cert: readFileSync(config.tlsCert, "utf8"), key: readFileSync(config.tlsKey, "utf8"), certFile: config.tlsCert };
  }
  const certFile = join(config.dataDir, CERT_FILE);
  const keyFile = join(config.dataDir, KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile };
  }
  const now = new Date();
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 2, value: `*.${config.executeApiDomain}` },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, certFile };
}
