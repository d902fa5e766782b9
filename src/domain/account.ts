// The account-level settings (GetAccount / UpdateAccount): CloudWatch role and account throttling.
import type { StoreReader } from "../store/config-store.js";
export interface AccountDoc {
  cloudwatchRoleArn?: string;
  throttleSettings: { burstLimit: number; rateLimit: number };
  features: string[];
  apiKeyVersion: string;
}

/** AWS's defaults: 10,000 requests per second with a burst of 5,000. */
export const DEFAULT_ACCOUNT: Readonly<AccountDoc> = {
  throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 },
  features: ["UsagePlans"],
  apiKeyVersion: "4",
};

export const ACCOUNT_DOC_ID = "account";

/** The stored account settings, or AWS's defaults before the first UpdateAccount. */
export async function loadAccount(r: StoreReader): Promise<AccountDoc> {
  const stored = await r.get<AccountDoc>("account", ACCOUNT_DOC_ID);
  return stored ?? { ...DEFAULT_ACCOUNT, throttleSettings: { ...DEFAULT_ACCOUNT.throttleSettings }, features: [...DEFAULT_ACCOUNT.features] };
}
