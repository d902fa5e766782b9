// Prometheus metrics of one gateway process (observability.md §1 suggests a Prometheus mapping of API Gateway's
// CloudWatch metrics). Hot-path counts are kept in a plain Map and copied into prom-client only when scraped, so
// counting a request costs one string key and one Map lookup, not prom-client's label hashing.
// Under `TOLLGATE_WORKERS` > 1 each worker holds its own counters; a scrape that lands on any worker asks the
// cluster primary, which sums every worker's registry (prom-client's AggregatorRegistry) — see cluster-metrics.ts.
import cluster from "node:cluster";
import { Counter, Registry } from "prom-client";
import { joinClusterMetrics } from "./cluster-metrics.js";

export interface MetricSources {
  /** Throttling decisions taken by the outage policy while Redis was unreachable. */
  readonly limiterOutageDecisions: () => number;
}

interface RequestCount {
  readonly api: string;
  readonly stage: string;
  readonly status: string;
  count: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Map<string, RequestCount>();

  constructor(sources: MetricSources) {
    // Counters whose truth lives elsewhere: `collect` (run on every scrape) copies the current totals in.
    new Counter({
      name: "tollgate_limiter_outage_decisions_total",
      help: "Throttling decisions made by the Redis outage policy (local fallback or refusal) while Redis was unreachable",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sources.limiterOutageDecisions());
      },
    });
    const requests = this.requests;
    new Counter({
      name: "tollgate_requests_total",
      help: "Data-plane requests by API id, stage and response status (unknown API or stage: empty labels)",
      labelNames: ["api", "stage", "status"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const r of requests.values()) this.inc({ api: r.api, stage: r.stage, status: r.status }, r.count);
      },
    });
  }

  /** Counts one finished data-plane request. */
  countRequest(api: string | null, stage: string | null, status: number): void {
    const key = `${api}\u0000${stage}\u0000${status}`;
    const entry = this.requests.get(key);
    if (entry !== undefined) entry.count++;
    else this.requests.set(key, { api: api ?? "", stage: stage ?? "", status: String(status), count: 1 });
  }
}

export function isGatewayMetrics(value: unknown): value is GatewayMetrics {
  return value instanceof GatewayMetrics;
}

/** The gateway's metrics; a cluster worker also offers them to the primary's aggregation (cluster-metrics.ts). */
export function createGatewayMetrics(sources: MetricSources): GatewayMetrics {
  const metrics = new GatewayMetrics(sources);
  if (cluster.isWorker) joinClusterMetrics(metrics.registry);
  return metrics;
}
