// Account operations: GetAccount and UpdateAccount (CloudWatch role, features, and — as a documented local
// extension — the account-level throttle that the data plane applies before stage and method throttles).
import { badRequest } from "../../errors/api-error.js";
import { ACCOUNT_DOC_ID, loadAccount, type AccountDoc } from "../../domain/account.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, patchInt, patchNumber, readPatchOperations, replaceOnly, requireValue, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact } from "../wire.js";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

function presentAccount(account: AccountDoc): Record<string, unknown> {
  return compact({
    cloudwatchRoleArn: account.cloudwatchRoleArn,
    throttleSettings: account.throttleSettings,
    features: account.features,
    apiKeyVersion: account.apiKeyVersion,
  });
}

function nonNegative(n: number, path: string): number {
  if (n < 0) throw badRequest(`Invalid value ${n} for ${path}: must not be negative`);
  return n;
}

/**
 * AWS accepts replace `/cloudwatchRoleArn` and add `/features`. `throttleSettings` is read-only there (an account
 * quota); Tollgate also accepts replace `/throttle/rateLimit` and `/throttle/burstLimit` (control-plane.md §5.1).
 */
function applyAccountPatch(account: AccountDoc, op: PatchOp): void {
  switch (op.path) {
    case "/cloudwatchRoleArn": {
      if (op.op !== "replace") throw replaceOnly();
      const arn = op.value ?? "";
      if (arn === "") {
        delete account.cloudwatchRoleArn;
        return;
      }
      if (!ROLE_ARN.test(arn)) throw badRequest("Invalid ARN specified in the request");
      account.cloudwatchRoleArn = arn;
      return;
    }
    case "/features": {
      if (op.op !== "add") throw badRequest("Invalid patch operation specified. Must be one of: [add]");
      const feature = requireValue(op);
      if (!account.features.includes(feature)) account.features = [...account.features, feature];
      return;
    }
    case "/throttle/rateLimit":
      if (op.op !== "replace") throw replaceOnly();
      account.throttleSettings = { ...account.throttleSettings, rateLimit: nonNegative(patchNumber(op), op.path) };
      return;
    case "/throttle/burstLimit":
      if (op.op !== "replace") throw replaceOnly();
      account.throttleSettings = { ...account.throttleSettings, burstLimit: nonNegative(patchInt(op), op.path) };
      return;
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

async function getAccount(_req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentAccount(await loadAccount(ctx.store.reader)) };
}

async function updateAccount(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateAccountInput");
  const account = await ctx.store.write(async (w) => {
    const account = await loadAccount(w);
    for (const op of ops) applyAccountPatch(account, op);
    await w.put("account", ACCOUNT_DOC_ID, account);
    return account;
  });
  return { status: 200, body: presentAccount(account) };
}

export const accountRoutes: readonly RouteSpec[] = [
  { operation: "GetAccount", method: "GET", path: "/account", handler: getAccount },
  { operation: "UpdateAccount", method: "PATCH", path: "/account", handler: updateAccount },
];
