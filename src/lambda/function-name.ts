// The `{FunctionName}` label: a bare name, a partial ARN (`123456789012:function:name`) or a full ARN, each
// optionally followed by `:qualifier` (lambda-api.md §2). The SDK percent-encodes the colons; the route table
// has already decoded them.
import { ApiError, ERRORS, validationError } from "../errors/api-error.js";
import type { StoreReader } from "../store/config-store.js";
import { LATEST, functionArn, type FunctionDoc } from "./function-doc.js";

/** The model's pattern for FunctionName, quoted in AWS's ValidationException. */
const FUNCTION_NAME_PATTERN =
  "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
const FULL = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const BARE = /^([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string;
  /** Region and account named by an ARN form; a function of another region or account does not exist here. */
  readonly region?: string;
  readonly accountId?: string;
}

export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

export function parseFunctionName(label: string, queryQualifier?: string | null): FunctionRef {
  const parts = matchLabel(label);
  if (!parts || label.length > 170) {
    throw validationError([
      `Value '${label}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
    ]);
  }
  const { name, qualifier: fromName, region, accountId } = parts;
  const fromQuery = queryQualifier ?? undefined;
  if (fromName !== undefined && fromQuery !== undefined && fromName !== fromQuery) {
    throw new ApiError(ERRORS.InvalidParameterValue, "The derived qualifier from the function name does not match the specified qualifier.");
  }
  const qualifier = fromName ?? fromQuery;
  return {
    name,
    ...(qualifier !== undefined ? { qualifier } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
  };
}

interface LabelParts {
  name: string;
  qualifier: string | undefined;
  region: string | undefined;
  accountId: string | undefined;
}

function matchLabel(label: string): LabelParts | undefined {
  const full = FULL.exec(label);
  if (full) return { name: full[3]!, qualifier: full[4], region: full[1], accountId: full[2] };
  const partial = PARTIAL.exec(label);
  if (partial) return { name: partial[2]!, qualifier: partial[3], region: undefined, accountId: partial[1] };
  const bare = BARE.exec(label);
  return bare ? { name: bare[1]!, qualifier: bare[2], region: undefined, accountId: undefined } : undefined;
}

export function functionNotFound(scope: ArnScope, ref: FunctionRef): ApiError {
  const arn = functionArn(ref.region ?? scope.region, ref.accountId ?? scope.accountId, ref.name, ref.qualifier);
  return new ApiError(ERRORS.ResourceNotFound, `Function not found: ${arn}`);
}

/** The function a label names; only `$LATEST` exists, so any other qualifier is "Function not found" with it. */
export async function loadFunction(reader: Pick<StoreReader, "get">, scope: ArnScope, ref: FunctionRef): Promise<FunctionDoc> {
  const elsewhere = (ref.region !== undefined && ref.region !== scope.region) || (ref.accountId !== undefined && ref.accountId !== scope.accountId);
  const doc = elsewhere ? undefined : await reader.get<FunctionDoc>("function", ref.name);
  if (!doc || (ref.qualifier !== undefined && ref.qualifier !== LATEST)) throw functionNotFound(scope, ref);
  return doc;
}
