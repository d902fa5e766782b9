// `AWS_IAM` methods (data-plane.md §5.2): the request must carry a SigV4 signature for service `execute-api` in
// the gateway's region, made with credentials this gateway knows — its admin credentials, the one identity it
// has (the account's root, as far as `$context.identity` is concerned). The check reuses the management API's
// verifier (canonicalisation from @smithy/signature-v4, 5-minute clock skew, presigned URLs); failures are the
// gateway responses AWS answers with. Identity-based policies are not modelled: an authenticated caller is
// allowed (a resource policy, if any, still applies).
import { verifySigV4, type Credentials, type SigV4FailureKind } from "../../auth/sigv4-verifier.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { readBody } from "../payload-limits.js";

export interface IamServices {
  readonly credentials: Credentials;
  readonly region: string;
  readonly accountId: string;
}

/** The signed caller, as `$context.identity` shows it. */
export interface IamIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly caller: string;
  readonly user: string;
  readonly userArn: string;
}

const FAILURES: Readonly<Record<SigV4FailureKind, (message: string) => GatewayError>> = {
  MissingAuthenticationToken: () => new GatewayError("MISSING_AUTHENTICATION_TOKEN"),
  IncompleteSignature: (message) => new GatewayError("INVALID_SIGNATURE", { message, errorType: "IncompleteSignatureException" }),
  InvalidSignature: (message) => new GatewayError("INVALID_SIGNATURE", { message }),
  UnrecognizedClient: (message) => new GatewayError("ACCESS_DENIED", { message, errorType: "UnrecognizedClientException" }),
};

export function iamAuthenticateStep(iam: IamServices): PhaseStep {
  const identity: IamIdentity = {
    accessKey: iam.credentials.accessKeyId,
    accountId: iam.accountId,
    caller: iam.accountId,
    user: iam.accountId,
    userArn: `arn:aws:iam::${iam.accountId}:root`,
  };
  return async (ex) => {
    const verdict = await verifySigV4(
      { method: ex.request.method, url: requestTarget(ex), headers: signedHeaderView(ex), body: await readBody(ex) },
      iam.credentials,
      { region: iam.region, services: ["execute-api"] },
    );
    if (!verdict.ok) {
      ex.log?.add(`Authentication failed: ${verdict.kind}`);
      throw FAILURES[verdict.kind](verdict.message);
    }
    ex.iamIdentity = identity;
  };
}

const requestTarget = (ex: Exchange): string => (ex.request.rawQuery === "" ? ex.request.rawPath : `${ex.request.rawPath}?${ex.request.rawQuery}`);

/** Header values by lower-case name (repeats joined with ","); HTTP/2's :authority stands in for Host. */
function signedHeaderView(ex: Exchange): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = ex.request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]},${raw[i + 1]!}`;
  }
  if (headers["host"] === undefined && ex.request.host !== undefined) headers["host"] = ex.request.host;
  return headers;
}
