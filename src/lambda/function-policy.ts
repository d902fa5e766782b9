// The function's resource-based policy (AddPermission / RemovePermission / GetPolicy), in the IAM JSON form
// Lambda returns as a string (lambda-api.md §4.4). The data plane may consult it before invoking.
import type { PolicyStatement } from "./function-doc.js";

export interface PermissionInput {
  readonly sid: string;
  readonly action: string;
  readonly principal: string;
  readonly resource: string;
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
  readonly principalOrgId?: string;
  readonly eventSourceToken?: string;
}

/** A service principal becomes {"Service": …}, an account id its root ARN under {"AWS": …}, "*" stays "*". */
function principalOf(principal: string): PolicyStatement["Principal"] {
  if (principal === "*") return "*";
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith("arn:")) return { AWS: principal };
  return { Service: principal };
}

export function buildStatement(input: PermissionInput): PolicyStatement {
  const condition: Record<string, Record<string, string>> = {};
  const equals: Record<string, string> = {};
  if (input.sourceAccount !== undefined) equals["AWS:SourceAccount"] = input.sourceAccount;
  if (input.principalOrgId !== undefined) equals["aws:PrincipalOrgID"] = input.principalOrgId;
  if (input.eventSourceToken !== undefined) equals["lambda:EventSourceToken"] = input.eventSourceToken;
  if (Object.keys(equals).length) condition["StringEquals"] = equals;
  if (input.sourceArn !== undefined) condition["ArnLike"] = { "AWS:SourceArn": input.sourceArn };
  return {
    Sid: input.sid,
    Effect: "Allow",
    Principal: principalOf(input.principal),
    Action: input.action,
    Resource: input.resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });
}
