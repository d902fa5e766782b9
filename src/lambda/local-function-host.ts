// Hosts Node.js functions on this machine: one InstancePool per function generation, instances run in worker
// threads or child processes (sandbox.ts, TOLLGATE_LAMBDA_ISOLATION). A change of code or configuration (seen
// through the store's change feed, and re-checked on every invoke) starts a new generation; the old one finishes
// its in-flight work and retires.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import { ApiError, ERRORS } from "../errors/api-error.js";
import type { ConfigStore, DocChange, DocKind, StoreReader } from "../store/config-store.js";
import { PRUNE_GRACE_MS, ensureTaskRoot, packagedFunctionNames, prunePackages } from "./code-package.js";
import { LATEST, functionArn, shaHex, type FunctionDoc } from "./function-doc.js";
import { instanceEnvironment, newLogStreamName } from "./function-environment.js";
import type { FunctionHost, InvokeOptions, InvokeResult } from "./function-host.js";
import { FunctionInstance } from "./function-instance.js";
import { loadFunction, parseFunctionName } from "./function-name.js";
import { InstancePool, type PoolLimits } from "./instance-pool.js";
import { ProcessSandbox } from "./process-sandbox.js";
import { responseTooLarge } from "./runtime-errors.js";
import type { SandboxFactory } from "./sandbox.js";
import { ThreadSandbox } from "./thread-sandbox.js";

/** Lambda's payload limits (lambda-contract.md §2.1): 6 MB synchronous, 256 KB asynchronous. */
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 262_144;
/** AWS measures the response against 6 MB + 100 bytes of envelope (the number in its message). */
const MAX_RESPONSE_REPORTED = 6_291_556;

export const DEFAULT_POOL_LIMITS: PoolLimits = { maxInstances: 4, maxQueue: 64, idleMs: 10 * 60_000 };

export interface LocalFunctionHostOptions {
  readonly config: Pick<TollgateConfig, "dataDir" | "region" | "accountId" | "lambdaIsolation">;
  readonly store: ConfigStore;
  readonly logger: Logger;
  readonly limits?: Partial<PoolLimits>;
}

/** Generations of the documents seen, computed once per document (they are cached between store changes). */
const generations = new WeakMap<FunctionDoc, string>();

/** Everything that shapes a running instance; a different value needs fresh instances. */
function generationOf(fn: FunctionDoc): string {
  let generation = generations.get(fn);
  if (generation === undefined) {
    generation = JSON.stringify([fn.codeSha256, fn.runtime, fn.handler, fn.memorySize, fn.timeout, fn.environment ?? {}]);
    generations.set(fn, generation);
  }
  return generation;
}

export class LocalFunctionHost implements FunctionHost {
  private readonly current = new Map<string, InstancePool>();
  private readonly retired = new Map<InstancePool, string>();
  private readonly limits: PoolLimits;
  private readonly unsubscribe: () => void;
  private readonly laterPrunes = new Set<NodeJS.Timeout>();
  private closed = false;
  /**
   * Function documents as last read, so an invocation does no store I/O (the request path reads memory only);
   * entries are dropped when the store reports a change of that function, from this process or another.
   */
  private readonly docs = new Map<string, Promise<FunctionDoc | undefined>>();
  private readonly cachedReader: Pick<StoreReader, "get">;
  private readonly sandboxes: SandboxFactory;

  constructor(private readonly options: LocalFunctionHostOptions) {
    this.cachedReader = {
      get: <T>(kind: DocKind, id: string): Promise<T | undefined> => {
        if (kind !== "function") return options.store.reader.get<T>(kind, id);
        let doc = this.docs.get(id);
        if (doc === undefined) {
          doc = options.store.reader.get<FunctionDoc>("function", id);
          this.docs.set(id, doc);
          doc.catch(() => this.docs.delete(id));
        }
        // Only FunctionDoc is cached, under kind "function".
        return doc as Promise<T | undefined>;
      },
    };
    this.limits = { ...DEFAULT_POOL_LIMITS, ...options.limits };
    const { logger } = options;
    this.sandboxes =
      options.config.lambdaIsolation === "process"
        ? (spec, events) => new ProcessSandbox(spec, events, logger)
        : (spec, events) => new ThreadSandbox(spec, events, logger);
    this.unsubscribe = options.store.onChange((changes) => this.onStoreChange(changes));
    // Packages left behind by a previous run (deleted functions, replaced code) go at start-up.
    for (const name of packagedFunctionNames(options.config.dataDir)) void this.prune(name);
  }

  async invoke(nameOrArn: string, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.closed) throw new ApiError(ERRORS.LambdaService, "The function host is shutting down.");
    const { config } = this.options;
    const ref = parseFunctionName(nameOrArn, options.qualifier);
    const fn = await loadFunction(this.cachedReader, config, ref);
    const event = readEvent(payload, options.invocationType === "Event" ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD, options.payloadIsJson === true);
    const clientContext = options.clientContext !== undefined ? readClientContext(options.clientContext) : undefined;
    const requestId = randomUUID();
    const base = { executedVersion: LATEST, requestId };
    if (options.invocationType === "DryRun") return { ...base, statusCode: 204, payload: Buffer.alloc(0) };

    const pool = this.poolFor(fn);
    const request = {
      requestId,
      event,
      invokedFunctionArn: functionArn(config.region, config.accountId, fn.name, ref.qualifier),
      ...(clientContext !== undefined ? { clientContext } : {}),
    };
    if (options.invocationType === "Event") {
      if (!pool.canAdmit()) throw new ApiError(ERRORS.LambdaTooManyRequests, "Rate Exceeded.", { "Retry-After": "1" });
      pool.run(request).then(
        (outcome) => this.options.logger.debug({ function: fn.name, requestId, functionError: outcome.functionError, log: outcome.log.text() }, "async invocation finished"),
        (err: unknown) => this.options.logger.warn({ err, function: fn.name, requestId }, "async invocation failed"),
      );
      return { ...base, statusCode: 202, payload: Buffer.alloc(0) };
    }

    const outcome = await pool.run(request);
    const logger = this.options.logger;
    if (logger.isLevelEnabled("debug")) logger.debug({ function: fn.name, requestId, functionError: outcome.functionError, log: outcome.log.text() }, "invocation finished");
    let body = Buffer.from(outcome.payload, "utf8");
    let functionError = outcome.functionError;
    if (body.length > MAX_SYNC_PAYLOAD) {
      body = Buffer.from(JSON.stringify(responseTooLarge(MAX_RESPONSE_REPORTED)));
      functionError = true;
    }
    return {
      ...base,
      statusCode: 200,
      payload: body,
      ...(functionError ? { functionError: "Unhandled" as const } : {}),
      ...(options.logType === "Tail" ? { logResult: outcome.log.tailBase64() } : {}),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const timer of this.laterPrunes) clearTimeout(timer);
    this.laterPrunes.clear();
    const pools = [...this.current.values(), ...this.retired.keys()];
    this.current.clear();
    this.retired.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private poolFor(fn: FunctionDoc): InstancePool {
    const generation = generationOf(fn);
    const existing = this.current.get(fn.name);
    if (existing?.generation === generation) return existing;
    if (existing) this.retire(fn.name, existing);
    const hex = shaHex(fn.codeSha256);
    const { config } = this.options;
    const pool = new InstancePool(
      generation,
      hex,
      () => {
        const root = ensureTaskRoot(config.dataDir, fn.name, hex);
        const env = instanceEnvironment({ fn, region: config.region, version: LATEST, taskRoot: root, logStreamName: newLogStreamName(LATEST) });
        return new FunctionInstance(
          { functionName: fn.name, version: LATEST, taskRoot: root, env, memorySize: fn.memorySize, timeoutSeconds: fn.timeout },
          this.sandboxes,
        );
      },
      this.limits,
      (drained) => this.onDrained(fn.name, drained),
    );
    this.current.set(fn.name, pool);
    return pool;
  }

  private retire(name: string, pool: InstancePool): void {
    if (this.current.get(name) === pool) this.current.delete(name);
    this.retired.set(pool, name);
    pool.retire();
  }

  private onDrained(name: string, pool: InstancePool): void {
    this.retired.delete(pool);
    void this.prune(name);
  }

  /** Retires pools whose function changed or went away, without waiting for the next invoke. */
  private onStoreChange(changes: readonly DocChange[]): void {
    for (const change of changes) {
      if (change.kind !== "function") continue;
      this.docs.delete(change.id);
      void this.refresh(change.id);
    }
  }

  private async refresh(name: string): Promise<void> {
    let fn: FunctionDoc | undefined;
    try {
      // Through the cache it was just dropped from: the next invoke then finds this read instead of making its own.
      fn = await this.cachedReader.get<FunctionDoc>("function", name);
    } catch (err) {
      this.options.logger.warn({ err, function: name }, "could not refresh function instances");
      return;
    }
    const pool = this.current.get(name);
    if (pool && (!fn || pool.generation !== generationOf(fn))) this.retire(name, pool);
    await this.prune(name);
    // Packages younger than the grace period survived this prune; look again once they are old enough.
    if (!fn) this.pruneLater(name);
  }

  private pruneLater(name: string): void {
    const timer = setTimeout(() => {
      this.laterPrunes.delete(timer);
      void this.prune(name);
    }, PRUNE_GRACE_MS + 1000);
    timer.unref();
    this.laterPrunes.add(timer);
  }

  /** Removes packages no longer referenced by the function document or a live pool. */
  private async prune(name: string): Promise<void> {
    if (this.closed) return;
    try {
      const fn = await this.options.store.reader.get<FunctionDoc>("function", name);
      const keep = new Set<string>();
      if (fn) keep.add(shaHex(fn.codeSha256));
      const live = this.current.get(name);
      if (live) keep.add(live.shaHex);
      for (const [pool, owner] of this.retired) if (owner === name) keep.add(pool.shaHex);
      prunePackages(this.options.config.dataDir, name, keep);
    } catch (err) {
      this.options.logger.warn({ err, function: name }, "could not prune function packages");
    }
  }
}

/** The event must be JSON (an empty body is `{}`, as the CLI's invoke without --payload sends nothing). */
function readEvent(payload: Buffer, limit: number, knownJson: boolean): string {
  if (payload.length > limit) {
    throw new ApiError(ERRORS.RequestTooLarge, `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
  }
  const text = payload.length === 0 ? "{}" : payload.toString("utf8");
  if (knownJson) return text;
  try {
    JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError(ERRORS.InvalidRequestContent, `Could not parse request body into json: Could not parse payload into json: ${reason}`);
  }
  return text;
}

function readClientContext(encoded: string): string {
  try {
    const text = Buffer.from(encoded, "base64").toString("utf8");
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return text;
  } catch {
    throw new ApiError(ERRORS.InvalidRequestContent, "Client context must be a valid Base64-encoded JSON object.");
  }
}
