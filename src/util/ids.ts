// Identifiers in AWS's formats: lower-case alphanumerics (10 chars for APIs, root resources and API keys,
// 6 for everything else) and 40-char mixed-case API key values. Uniform over the alphabet (rejection sampling).
import { randomBytes, randomUUID } from "node:crypto";

const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomString(length: number, alphabet: string = LOWER): string {
  // Largest multiple of the alphabet size below 256, so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export const newRestApiId = (): string => randomString(10);
export const newRootResourceId = (): string => randomString(10);
export const newApiKeyId = (): string => randomString(10);
export const newShortId = (): string => randomString(6);
export const newApiKeyValue = (): string => randomString(40, MIXED);
export const newRequestId = (): string => randomUUID();

/** `x-amz-apigw-id` / `$context.extendedRequestId`: 16 characters ending in "=", like AWS's. */
export function newExtendedRequestId(): string {
  return randomBytes(11).toString("base64").slice(0, 15) + "=";
}

/** Epoch seconds, the unit of every management-API timestamp. */
export const epochSeconds = (): number => Math.floor(Date.now() / 1000);
