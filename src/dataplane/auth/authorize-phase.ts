// Builds the `authorize` phase of a method (METHOD_PHASES) from its authorizationType: CUSTOM methods run their
// Lambda authorizer; NONE, AWS_IAM and COGNITO_USER_POOLS are not this phase's business here.
import type { MethodDoc } from "../../domain/rest-api.js";
import type { StageInput } from "../compile/compile-stage.js";
import type { PhaseStep } from "../compiled-stage.js";
import { GatewayError } from "../gateway-error.js";
import type { LambdaServices } from "../lambda/lambda-services.js";
import { authorizeStep, compileAuthorizer } from "./lambda-authorizer.js";

export function lambdaAuthorizePhase(method: MethodDoc, stage: StageInput, services: LambdaServices | undefined): PhaseStep | undefined {
  if (method.authorizationType !== "CUSTOM") return undefined;
  const doc = method.authorizerId !== undefined ? stage.snapshot.authorizers[method.authorizerId] : undefined;
  if (doc?.type === "COGNITO_USER_POOLS") return undefined;
  if (services?.runAuthorizers === false) return undefined;
  try {
    return authorizeStep(compileAuthorizer(doc, stage.variables, services));
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return () => {
      throw err;
    };
  }
}

