// The warm instances of one function generation (code + configuration). At most `maxInstances` run at once;
// further invocations wait in a bounded FIFO queue, and beyond that are refused (TooManyRequestsException, as
// Lambda does when a function's concurrency is exhausted). A retired pool (new code or settings) takes no new
// work: its busy instances finish what they and its queue hold, then stop.
import { ApiError, ERRORS } from "../errors/api-error.js";
import type { FunctionInstance, InvocationOutcome, InvocationRequest } from "./function-instance.js";

export interface PoolLimits {
  /** Concurrent instances per function. */
  readonly maxInstances: number;
  /** Invocations allowed to wait for a busy instance. */
  readonly maxQueue: number;
  /** A warm instance left unused this long is stopped. */
  readonly idleMs: number;
}

interface Waiter {
  readonly resolve: (instance: FunctionInstance) => void;
  readonly reject: (err: Error) => void;
}

export class InstancePool {
  private readonly all = new Set<FunctionInstance>();
  private readonly idle: FunctionInstance[] = [];
  private readonly idleTimers = new Map<FunctionInstance, NodeJS.Timeout>();
  private readonly waiters: Waiter[] = [];
  private retiring = false;
  private closed = false;
  private drained = false;

  constructor(
    readonly generation: string,
    readonly shaHex: string,
    private readonly spawn: () => FunctionInstance,
    private readonly limits: PoolLimits,
    private readonly onDrained: (pool: InstancePool) => void,
  ) {}

  /** Whether an invocation would be accepted now (run or queued). */
  canAdmit(): boolean {
    return this.idle.length > 0 || this.all.size < this.limits.maxInstances || this.waiters.length < this.limits.maxQueue;
  }

  async run(req: InvocationRequest): Promise<InvocationOutcome> {
    const instance = await this.acquire();
    try {
      return await instance.invoke(req);
    } finally {
      this.release(instance);
    }
  }

  /** No new work; idle instances stop now, busy ones after the queue is empty. */
  retire(): void {
    this.retiring = true;
    for (const instance of this.idle.splice(0)) this.stop(instance);
    this.checkDrained();
  }

  /** Stops every instance now (in-flight calls end as runtime exits); resolves when the sandboxes are gone. */
  close(): Promise<void> {
    this.closed = true;
    this.retiring = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new ApiError(ERRORS.LambdaService, "The function host is shutting down."));
    const instances = [...this.all];
    for (const instance of instances) this.stop(instance);
    return Promise.all(instances.map((i) => i.whenClosed())).then(() => undefined);
  }

  private acquire(): Promise<FunctionInstance> {
    if (this.closed) return Promise.reject(new ApiError(ERRORS.LambdaService, "The function host is shutting down."));
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(this.idleTimers.get(warm));
      this.idleTimers.delete(warm);
      return Promise.resolve(warm);
    }
    if (this.all.size < this.limits.maxInstances) return Promise.resolve(this.start());
    if (this.waiters.length >= this.limits.maxQueue) {
      return Promise.reject(new ApiError(ERRORS.LambdaTooManyRequests, "Rate Exceeded.", { "Retry-After": "1" }));
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private start(): FunctionInstance {
    const instance = this.spawn();
    this.all.add(instance);
    instance.onGone(() => this.forget(instance));
    return instance;
  }

  private release(instance: FunctionInstance): void {
    const waiter = this.waiters.shift();
    if (instance.dead) {
      this.forget(instance);
      if (waiter) waiter.resolve(this.start());
      return;
    }
    if (waiter) return waiter.resolve(instance);
    if (this.retiring) return this.stop(instance);
    this.idle.push(instance);
    const timer = setTimeout(() => {
      const at = this.idle.indexOf(instance);
      if (at >= 0) this.idle.splice(at, 1);
      this.stop(instance);
    }, this.limits.idleMs);
    timer.unref();
    this.idleTimers.set(instance, timer);
  }

  private stop(instance: FunctionInstance): void {
    instance.kill();
    this.forget(instance);
  }

  private forget(instance: FunctionInstance): void {
    clearTimeout(this.idleTimers.get(instance));
    this.idleTimers.delete(instance);
    const at = this.idle.indexOf(instance);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.all.delete(instance)) this.checkDrained();
  }

  private checkDrained(): void {
    if (this.drained || !this.retiring || this.all.size > 0 || this.waiters.length > 0) return;
    this.drained = true;
    this.onDrained(this);
  }
}
