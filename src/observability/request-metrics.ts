// Counts finished data-plane requests into `tollgate_requests_total` and their latencies into the latency
// histograms, beside the access-log line. Only the API and
// stage the request actually resolved to are labels (ex.stage, not the Host header's guess), so requests for
// unknown APIs cannot grow the label set without bound.
import type { GatewayServices } from "../admin/operation.js";
import type { Exchange } from "../dataplane/exchange.js";
import { isGatewayMetrics } from "./gateway-metrics.js";

export function withRequestMetrics(accessLog: (ex: Exchange) => void, services: GatewayServices | undefined): (ex: Exchange) => void {
  const metrics = services?.["metrics"];
  if (!isGatewayMetrics(metrics)) return accessLog;
  return (ex) => {
    const stage = ex.stage;
    metrics.countRequest(stage, ex.status);
    if (stage !== undefined) {
      const integration = ex.integrationLatency >= 0 && ex.route?.method.integrationType !== "MOCK" ? ex.integrationLatency : undefined;
      metrics.observeLatency(stage, ex.latency, integration);
    }
    accessLog(ex);
  };
}
