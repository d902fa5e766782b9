// Prometheus metrics of one gateway process (observability.md §1 suggests a Prometheus mapping of API Gateway's
// CloudWatch metrics). Hot-path counts are kept in plain Maps and copied into prom-client only when scraped, so
// counting a request costs two small Map lookups keyed by the compiled stage and the status, not prom-client's
// label hashing.
// Under `TOLLGATE_WORKERS` > 1 each worker holds its own counters; a scrape that lands on any worker asks the
// cluster primary, which sums every worker's registry (prom-client's AggregatorRegistry) — see cluster-metrics.ts.
import cluster from "node:cluster";
import { Counter, Registry } from "prom-client";
import { joinClusterMetrics } from "./cluster-metrics.js";

export interface MetricSources {
  /** Throttling decisions taken by the outage policy while Redis was unreachable. */
  readonly limiterOutageDecisions: () => number;
  /** Stage cache lookups answered from the cache and not (CloudWatch's CacheHitCount / CacheMissCount). */
  readonly cacheStats?: () => { readonly hits: number; readonly misses: number };
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
  /** The same counters, found by the stage object a request resolved to (a redeploy makes a new one). */
  private readonly byStage = new WeakMap<object, Map<number, RequestCount>>();
  private readonly noStage = new Map<number, RequestCount>();

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
    const cacheStats = sources.cacheStats;
    if (cacheStats) {
      for (const [name, help, pick] of [
        ["tollgate_cache_hits_total", "Stage cache lookups answered from the cache (CacheHitCount)", (s: { hits: number }) => s.hits],
        ["tollgate_cache_misses_total", "Stage cache lookups that went to the integration (CacheMissCount)", (s: { misses: number }) => s.misses],
      ] as const) {
        new Counter({
          name,
          help,
          registers: [this.registry],
          collect() {
            this.reset();
            this.inc(pick(cacheStats() as { hits: number; misses: number }));
          },
        });
      }
    }
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

  /** Counts one finished data-plane request; `stage` is undefined for requests that matched no API or stage. */
  countRequest(stage: { readonly apiId: string; readonly stageName: string } | undefined, status: number): void {
    let counts = this.noStage;
    if (stage !== undefined) {
      counts = this.byStage.get(stage) ?? new Map();
      if (counts.size === 0) this.byStage.set(stage, counts);
    }
    let entry = counts.get(status);
    if (entry === undefined) {
      entry = this.entryFor(stage?.apiId ?? "", stage?.stageName ?? "", status);
      counts.set(status, entry);
    }
    entry.count++;
  }

  private entryFor(api: string, stage: string, status: number): RequestCount {
    const key = `${api}\u0000${stage}\u0000${status}`;
    let entry = this.requests.get(key);
    if (entry === undefined) {
      entry = { api, stage, status: String(status), count: 0 };
      this.requests.set(key, entry);
    }
    return entry;
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
