// Validation of a function's settings as CreateFunction and UpdateFunctionConfiguration receive them, with the
// errors Lambda reports (lambda-api.md §5): generic ValidationException for model constraints,
// InvalidParameterValueException for Lambda's own rules.
import { ApiError, ERRORS, validationError } from "../errors/api-error.js";
import { NODE_RUNTIMES, type NodeRuntime } from "./function-doc.js";
import { RESERVED_ENV_KEYS } from "./function-environment.js";

const ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
const ROLE = new RegExp(`^${ROLE_PATTERN}$`);
const HANDLER_PATTERN = "[^\\s]+";
const ENV_KEY_PATTERN = "[a-zA-Z]([a-zA-Z0-9_])+";
// The model says one-or-more after the letter, yet Lambda accepts one-letter names (`{"A": "1"}` in lambda-api.md).
const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const ARCHITECTURES = ["x86_64", "arm64"];
const MAX_ENV_BYTES = 4096;

const patternClause = (value: string, at: string, pattern: string): string =>
  `Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`;

function rangeClause(value: number, at: string, min: number, max: number): string | undefined {
  if (value < min) return `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`;
  if (value > max) return `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}`;
  return undefined;
}

export interface SettingsInput {
  readonly runtime?: string;
  readonly handler?: string;
  readonly role?: string;
  readonly description?: string;
  readonly timeout?: number;
  readonly memorySize?: number;
  readonly variables?: Record<string, string>;
  readonly architectures?: string[];
}

/** Checks every given setting; all model-constraint violations are reported together, as AWS does. */
export function checkSettings(input: SettingsInput): void {
  const clauses: string[] = [];
  if (input.role !== undefined && !ROLE.test(input.role)) clauses.push(patternClause(input.role, "role", ROLE_PATTERN));
  if (input.handler !== undefined) {
    if (!/^[^\s]+$/.test(input.handler)) clauses.push(patternClause(input.handler, "handler", HANDLER_PATTERN));
    else if (input.handler.length > 128) {
      clauses.push(`Value '${input.handler}' at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128`);
    }
  }
  if (input.description !== undefined && input.description.length > 256) {
    clauses.push(`Value '${input.description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`);
  }
  if (input.timeout !== undefined) {
    const c = rangeClause(input.timeout, "timeout", 1, 900);
    if (c) clauses.push(c);
  }
  if (input.memorySize !== undefined) {
    const c = rangeClause(input.memorySize, "memorySize", 128, 10240);
    if (c) clauses.push(c);
  }
  if (input.variables !== undefined && Object.keys(input.variables).some((k) => !ENV_KEY.test(k))) {
    clauses.push(`Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENV_KEY_PATTERN}]`);
  }
  if (input.architectures !== undefined) {
    if (input.architectures.length !== 1 || !ARCHITECTURES.includes(input.architectures[0]!)) {
      clauses.push(
        `Value '[${input.architectures.join(", ")}]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1, Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(", ")}]]`,
      );
    }
  }
  if (clauses.length) throw validationError(clauses);

  if (input.runtime !== undefined && !isNodeRuntime(input.runtime)) {
    throw new ApiError(
      ERRORS.InvalidParameterValue,
      `Value ${input.runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${NODE_RUNTIMES.join(", ")}] or be a valid ARN`,
    );
  }
  if (input.variables !== undefined) checkVariables(input.variables);
}

export function isNodeRuntime(value: string): value is NodeRuntime {
  return (NODE_RUNTIMES as readonly string[]).includes(value);
}

function checkVariables(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length) {
    throw new ApiError(
      ERRORS.InvalidParameterValue,
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured, "utf8") > MAX_ENV_BYTES) {
    throw new ApiError(
      ERRORS.InvalidParameterValue,
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}
