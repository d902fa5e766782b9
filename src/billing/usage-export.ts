// `tollgate usage export`: the metering rows behind pay-per-call and data-transferred-out billing, as CSV on
// stdout — one row per API key, API, stage and UTC day with its calls and response bytes. Key names and the
// usage plan come from the configuration as it stands when the export runs (metering rows record the key, not
// the plan): a key that has since left the plan for that stage exports with an empty usagePlanId.
import type { ApiKeyDoc, UsagePlanDoc } from "../domain/usage.js";
import type { StoreReader } from "../store/config-store.js";
import type { UsageStore } from "../store/usage-store.js";

export const USAGE_EXPORT_COLUMNS = ["day", "apiKeyId", "apiKeyName", "apiId", "stage", "usagePlanId", "calls", "responseBytes"] as const;

/** RFC 4180: quote a field only when it holds a comma, a quote or a line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: readonly (string | number)[]): string => fields.map(csvField).join(",") + "\n";

/** The CSV text (header line first) of every metering row from `fromDay` to `toDay` inclusive (`YYYY-MM-DD`). */
export async function exportUsageCsv(usage: UsageStore, reader: StoreReader, fromDay: string, toDay: string): Promise<string> {
  const [rows, keys, plans] = await Promise.all([
    usage.exportMetering(fromDay, toDay),
    reader.list<ApiKeyDoc>("apikey"),
    reader.list<UsagePlanDoc>("usageplan"),
  ]);
  const names = new Map(keys.map((k) => [k.id, k.name ?? ""]));
  const planOf = (keyId: string, apiId: string, stage: string): string =>
    plans.find((p) => p.keyIds.includes(keyId) && p.apiStages.some((s) => s.apiId === apiId && s.stage === stage))?.id ?? "";
  let out = csvLine(USAGE_EXPORT_COLUMNS);
  for (const r of rows) {
    out += csvLine([r.day, r.keyId, names.get(r.keyId) ?? "", r.apiId, r.stage, planOf(r.keyId, r.apiId, r.stage), r.calls, r.responseBytes]);
  }
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}
