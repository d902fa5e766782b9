// Stage logs. Access logging (observability.md §2): a stage with `accessLogSettings` (format and destination)
// writes one line per request in its own format — plain substitution of `$context.*` variables, `-` for a variable
// without value — after the response. Execution logging (§3): a method whose stage settings set `logging/loglevel`
// writes its request's execution trace, `(requestId) message` per entry, to the group
// `API-Gateway-Execution-Logs_{apiId}/{stage}` — INFO every request, ERROR failed ones; bodies and header values
// only with `dataTraceEnabled`; each entry at most 1024 bytes. CloudWatch is not here: each destination is a file under `{dataDir}/logs/`, named
// after the log group (or Firehose stream) the ARN names, slashes kept as directories; canary requests go to the
// group with `/Canary` appended, as on AWS. Files are appended through pino's asynchronous destination
// (sonic-boom), one per file, so several workers can share one.
import { join, normalize } from "node:path";
import pino from "pino";
import type { Exchange } from "./exchange.js";
import { buildContext } from "./request-context.js";

type Render = (ex: Exchange) => string;

/** `$context.identity.sourceIp` → ["identity", "sourceIp"]; everything between variables is literal text. */
function compileAccessLogFormat(format: string): Render {
  const parts: (string | readonly string[])[] = [];
  const variable = /\$context((?:\.[A-Za-z0-9_-]+)+)/g;
  let last = 0;
  for (let m = variable.exec(format); m !== null; m = variable.exec(format)) {
    parts.push(format.slice(last, m.index));
    parts.push(m[1]!.slice(1).split("."));
    last = m.index + m[0].length;
  }
  parts.push(format.slice(last));
  const text = format.endsWith("\n") ? parts : [...parts, "\n"];
  return (ex) => {
    const values = accessLogContext(ex);
    let line = "";
    for (const part of text) line += typeof part === "string" ? part : render(lookup(values, part));
    return line;
  };
}

function lookup(values: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = values;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** `$context` as §12.3 defines it plus the access-log-only variables (§2.3). */
function accessLogContext(ex: Exchange): Record<string, unknown> {
  const failure = ex.failure;
  const context = buildContext(ex, failure);
  const latency = Math.round(ex.latency);
  const integrationLatency = ex.integrationLatency < 0 ? undefined : Math.round(ex.integrationLatency);
  const integrationStatus = ex.endpointResponse?.status;
  context["status"] = ex.status;
  context["responseLength"] = ex.responseLength;
  context["responseLatency"] = latency;
  context["integrationLatency"] = integrationLatency;
  context["integrationStatus"] = integrationStatus;
  context["integration"] = { latency: integrationLatency, status: integrationStatus, integrationStatus };
  if (ex.target?.basePathMatched !== undefined) context["customDomain"] = { basePathMatched: ex.target.basePathMatched };
  return context;
}

/** The file an ARN's log group or delivery stream maps to, kept inside the logs directory. */
export function destinationFile(logsDir: string, destinationArn: string, canary: boolean): string | undefined {
  const m = /^arn:aws[a-z-]*:(?:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?|firehose:[^:]*:[^:]*:deliverystream\/(.+))$/.exec(destinationArn);
  const name = m?.[1] ?? m?.[2];
  if (name === undefined) return undefined;
  const relative = normalize(`${name}${canary ? "/Canary" : ""}.log`).replace(/^(\.\.(\/|$))+/, "").replace(/^\/+/, "");
  return join(logsDir, relative);
}

/** Entries that carry bodies or header values: logged only with dataTraceEnabled (§3.1). */
const DATA_TRACE = /^(Method request body|Method request headers|Endpoint request body|Endpoint request headers|Endpoint response body|Endpoint response headers|Method response body|Method response headers|Incoming identity|Authorizer result body)/;
const MAX_EVENT_BYTES = 1024;

function executionLines(ex: Exchange): string {
  const logging = ex.executionLogging!;
  let out = "";
  for (const { at, message } of ex.log!.entries()) {
    if (!logging.dataTrace && DATA_TRACE.test(message)) continue;
    let event = `(${ex.requestId}) ${message}`;
    if (Buffer.byteLength(event) > MAX_EVENT_BYTES) event = Buffer.from(event).subarray(0, MAX_EVENT_BYTES).toString("utf8").replace(/\uFFFD$/, "");
    out += `${at.toISOString()} ${event.replaceAll("\n", " ")}\n`;
  }
  return out;
}

export interface StageAccessLogs {
  /** Writes the request's access-log line and execution log, as its stage and method settings say. */
  log(ex: Exchange): void;
  /** The writer for a stage's settings (compiled with the stage); undefined when it does not log. */
  writer(settings: { format?: string; destinationArn?: string } | undefined, canary: boolean): ((ex: Exchange) => void) | undefined;
  close(): void;
}

export function createStageAccessLogs(dataDir: string): StageAccessLogs {
  const logsDir = join(dataDir, "logs");
  const files = new Map<string, pino.DestinationStream & { flushSync?: () => void; end?: () => void }>();
  const fileFor = (path: string) => {
    let file = files.get(path);
    if (!file) {
      file = pino.destination({ dest: path, sync: false, mkdir: true });
      files.set(path, file);
    }
    return file;
  };
  const writeExecution = (ex: Exchange): void => {
    const stage = ex.stage;
    if (stage === undefined || ex.log === undefined) return;
    if (ex.executionLogging!.level === "ERROR" && ex.failure === undefined && ex.status < 500) return;
    const group = `API-Gateway-Execution-Logs_${stage.apiId}/${stage.stageName}${stage.isCanary === true ? "/Canary" : ""}`;
    fileFor(join(logsDir, `${group}.log`)).write(executionLines(ex));
  };
  return {
    log(ex) {
      ex.stage?.accessLog?.(ex);
      if (ex.executionLogging !== undefined) writeExecution(ex);
    },
    writer(settings, canary) {
      if (!settings?.format || !settings.destinationArn) return undefined;
      const path = destinationFile(logsDir, settings.destinationArn, canary);
      if (path === undefined) return undefined;
      const renderLine = compileAccessLogFormat(settings.format);
      return (ex) => fileFor(path).write(renderLine(ex));
    },
    close() {
      for (const file of files.values()) {
        try {
          file.flushSync?.();
        } catch {
          // Nothing was waiting to be written.
        }
        file.end?.();
      }
      files.clear();
    },
  };
}
