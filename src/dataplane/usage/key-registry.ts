// The data plane's in-memory view of API keys, usage plans and the account throttle (data-plane.md §6, §7), so
// the request path never reads the configuration store. Built from the store at start and rebuilt from its change
// feed whenever a key, a plan or the account changes; each rebuild swaps in a new immutable index, so a request
// sees either the old or the new configuration, never half of each.
import type { Logger } from "pino";
import { DEFAULT_ACCOUNT, loadAccount } from "../../domain/account.js";
import type { ApiKeyDoc, ApiStage, ThrottleSettings, UsagePlanDoc } from "../../domain/usage.js";
import { accountScope, planScope, type ThrottleCheck } from "../../limits/local-limiter.js";
import type { ThrottleRule } from "../../limits/token-bucket.js";
import type { ConfigStore, DocChange } from "../../store/config-store.js";
import { ChangeQueue } from "../change-queue.js";

/** What an API key resolves to on one API stage: the key and the one plan that covers that stage for it. */
export interface PlanBinding {
  readonly key: ApiKeyDoc;
  readonly plan: UsagePlanDoc;
  /** The plan's entry for this API stage (per-method throttles). */
  readonly apiStage: ApiStage;
  /** The plan-level bucket of this key (`[]` when the plan sets no throttle), built once per index. */
  readonly planChecks: readonly ThrottleCheck[];
}

/** Why a key was refused; all answer the same 403 (data-plane.md §6 step 4) but the execution log tells them apart. */
export type KeyRefusal = "missing" | "unknown" | "disabled" | "unplanned";

export type KeyLookup = { readonly ok: true; readonly binding: PlanBinding } | { readonly ok: false; readonly reason: KeyRefusal };

interface KeyIndex {
  /** Key value → key. */
  readonly byValue: ReadonlyMap<string, ApiKeyDoc>;
  /** `${apiId}/${stage}` → key id → binding. */
  readonly byStage: ReadonlyMap<string, ReadonlyMap<string, PlanBinding>>;
}

const EMPTY_INDEX: KeyIndex = { byValue: new Map(), byStage: new Map() };

const WATCHED_KINDS = new Set(["apikey", "usageplan"]);

export const stageIndexKey = (apiId: string, stage: string): string => `${apiId}/${stage}`;

function buildIndex(keys: readonly ApiKeyDoc[], plans: readonly UsagePlanDoc[]): KeyIndex {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const byValue = new Map(keys.map((k) => [k.value, k]));
  const byStage = new Map<string, Map<string, PlanBinding>>();
  for (const plan of plans) {
    for (const apiStage of plan.apiStages) {
      const stageKey = stageIndexKey(apiStage.apiId, apiStage.stage);
      let bindings = byStage.get(stageKey);
      if (!bindings) byStage.set(stageKey, (bindings = new Map()));
      for (const keyId of plan.keyIds) {
        const key = byId.get(keyId);
        // The management API keeps a key in at most one plan per stage; should two ever claim it, the first
        // plan in creation order wins, so the choice is stable across rebuilds.
        if (!key || bindings.has(keyId)) continue;
        const rule = planThrottleRule(plan.throttle);
        const planChecks: ThrottleCheck[] = rule ? [{ level: "plan", scope: planScope(plan.id, keyId), rule }] : [];
        bindings.set(keyId, { key, plan, apiStage, planChecks });
      }
    }
  }
  return { byValue, byStage };
}

/**
 * A usage-plan throttle as a bucket rule, or undefined when the plan sets none. A half-set throttle takes 0 for
 * the missing figure, as AWS reports unset throttle numbers.
 */
export function planThrottleRule(settings: ThrottleSettings | undefined): ThrottleRule | undefined {
  if (!settings || (settings.burstLimit === undefined && settings.rateLimit === undefined)) return undefined;
  return { burstLimit: settings.burstLimit ?? 0, rateLimit: settings.rateLimit ?? 0 };
}

/** The account bucket (UpdateAccount `/throttle/rateLimit|burstLimit`; AWS's 10,000/5,000 by default). */
const accountCheck = (settings: { burstLimit: number; rateLimit: number }): ThrottleCheck => ({
  level: "account",
  scope: accountScope(),
  rule: { burstLimit: settings.burstLimit, rateLimit: settings.rateLimit },
});

export class KeyRegistry {
  private index: KeyIndex = EMPTY_INDEX;
  private account: ThrottleCheck = accountCheck(DEFAULT_ACCOUNT.throttleSettings);
  private readonly changes: ChangeQueue;

  constructor(
    private readonly store: ConfigStore,
    logger: Logger,
  ) {
    this.changes = new ChangeQueue(logger, "data plane could not reload API keys and usage plans");
  }

  async start(): Promise<void> {
    this.changes.follow(this.store, (changes) => this.onChanges(changes));
    await Promise.all([this.reloadKeys(), this.reloadAccount()]);
  }

  stop(): void {
    this.changes.stop();
  }

  /** Resolves once every change received so far has been applied. */
  settled(): Promise<void> {
    return this.changes.settled();
  }

  /** The account-level bucket in force; a new object whenever the account throttle changes. */
  get accountCheck(): ThrottleCheck {
    return this.account;
  }

  /** Resolves a key value on an API stage (data-plane.md §6 steps 1–3). */
  lookup(apiId: string, stage: string, value: string | undefined): KeyLookup {
    if (value === undefined || value === "") return { ok: false, reason: "missing" };
    const index = this.index;
    const key = index.byValue.get(value);
    if (!key) return { ok: false, reason: "unknown" };
    const binding = index.byStage.get(stageIndexKey(apiId, stage))?.get(key.id);
    if (!binding) return { ok: false, reason: "unplanned" };
    if (!key.enabled) return { ok: false, reason: "disabled" };
    return { ok: true, binding };
  }

  private onChanges(changes: readonly DocChange[]): void {
    if (changes.some((c) => WATCHED_KINDS.has(c.kind))) this.changes.enqueue(() => this.reloadKeys());
    if (changes.some((c) => c.kind === "account")) this.changes.enqueue(() => this.reloadAccount());
  }

  /** A full rebuild: key and plan changes are rare next to requests, and a rebuild cannot drift from the store. */
  private async reloadKeys(): Promise<void> {
    const reader = this.store.reader;
    const [keys, plans] = await Promise.all([reader.list<ApiKeyDoc>("apikey"), reader.list<UsagePlanDoc>("usageplan")]);
    this.index = buildIndex(keys, plans);
  }

  private async reloadAccount(): Promise<void> {
    this.account = accountCheck((await loadAccount(this.store.reader)).throttleSettings);
  }
}
