// The Lambda form of an AWS/AWS_PROXY integration URI and of an authorizer URI (data-plane.md §10.2):
// `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`, stage variables
// substituted once per compiled stage (they may name the function or its qualifier).
import { substituteStageVariables } from "../integrations/backend-uri.js";

const LAMBDA_URI = /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** The function ARN (or name) the URI invokes, or undefined when the URI is not a Lambda invocation URI. */
export function lambdaFunctionOf(uri: string | undefined, variables: Readonly<Record<string, string>>): string | undefined {
  if (uri === undefined) return undefined;
  const m = LAMBDA_URI.exec(substituteStageVariables(uri, variables));
  if (!m) return undefined;
  // The console writes the ARN as is; some tools percent-encode its colons.
  let name = m[1]!;
  try {
    name = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  return name === "" ? undefined : name;
}
