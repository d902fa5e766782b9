// `GET /metrics` under node:cluster: a scrape reaches one worker (the listeners are shared), but Prometheus
// expects the process's totals, so the worker asks the primary, which collects every live worker's registry
// over IPC and sums them (prom-client's AggregatorRegistry: counters add up). A worker that died takes its
// counts with it; its replacement starts from zero, which Prometheus' rate() treats as a counter reset.
import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQUEST = "tollgate:metrics-request";
const REPLY = "tollgate:metrics-reply";
const TIMEOUT_MS = 5000;

interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly id: number;
}

interface MetricsReply {
  readonly type: typeof REPLY;
  readonly id: number;
  readonly body?: string;
  readonly error?: string;
}

const isRequest = (m: unknown): m is MetricsRequest => typeof m === "object" && m !== null && (m as { type?: unknown }).type === REQUEST;
const isReply = (m: unknown): m is MetricsReply => typeof m === "object" && m !== null && (m as { type?: unknown }).type === REPLY;

/** Primary: answers workers' scrape requests with the sum over all workers. Call once before forking. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: unknown) => {
    if (!isRequest(message)) return;
    aggregator.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ type: REPLY, id: message.id, body } satisfies MetricsReply),
      (err: Error) => worker.isConnected() && worker.send({ type: REPLY, id: message.id, error: err.message } satisfies MetricsReply),
    );
  });
}

let registered = false;
let nextId = 0;
const pending = new Map<number, { resolve: (body: string) => void; reject: (err: Error) => void }>();

/** Worker: exposes `registry` to the primary's aggregation (prom-client answers its requests over IPC). */
export function joinClusterMetrics(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  if (registered) return;
  registered = true;
  // Constructing one installs prom-client's worker-side responder.
  new AggregatorRegistry();
  process.on("message", (message: unknown) => {
    if (!isReply(message)) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.body !== undefined) waiter.resolve(message.body);
    else waiter.reject(new Error(message.error ?? "no metrics"));
  });
}

/** Worker: the cluster-wide exposition text, through the primary. */
export function clusterMetricsText(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error("the cluster primary did not answer the metrics request"));
    }, TIMEOUT_MS);
    timer.unref();
    pending.set(id, {
      resolve: (body) => {
        clearTimeout(timer);
        resolve(body);
      },
      reject: (err) => {
        clearTimeout(timer);
        reject(err);
      },
    });
    process.send!({ type: REQUEST, id } satisfies MetricsRequest);
  });
}
