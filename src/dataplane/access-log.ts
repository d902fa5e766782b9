// One structured JSON line per request, written after the response (observability.md §2) through pino with an
// asynchronous destination, so a slow stdout never holds up the request path.
import type { Logger } from "pino";
import type { Exchange } from "./exchange.js";

export function createAccessLog(logger: Logger): (ex: Exchange) => void {
  if (!logger.isLevelEnabled("info")) return () => {};
  return (ex) => {
    const route = ex.route;
    logger.info(
      {
        requestId: ex.requestId,
        extendedRequestId: ex.extendedRequestId,
        apiId: ex.stage?.apiId ?? ex.target?.apiId ?? null,
        stage: ex.stage?.stageName ?? ex.target?.stageName ?? null,
        resourcePath: route?.resource.path ?? null,
        method: ex.request.method,
        status: ex.status,
        latency: Math.round((performance.now() - ex.started) * 1000) / 1000,
        integrationLatency: ex.integrationLatency < 0 ? null : Math.round(ex.integrationLatency * 1000) / 1000,
        responseLength: ex.responseLength,
      },
      "access",
    );
  };
}
