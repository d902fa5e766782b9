// Configuration: every setting comes from a TOLLGATE_* environment variable or the matching
// `tollgate serve --flag`; flags win. Invalid values stop start-up with one line naming the variable.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { LambdaIsolation } from "./lambda/sandbox.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface TollgateConfig {
  adminHost: string;
  adminPort: number;
  host: string;
  port: number;
  dataDir: string;
  region: string;
  accountId: string;
  adminAccessKeyId: string | undefined;
  adminSecretAccessKey: string | undefined;
  databaseUrl: string | undefined;
  logLevel: LogLevel;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  executeApiDomain: string;
  limits: ServiceLimits;
  /** redis://… shared by every node for throttling; unset = per-process token buckets. */
  redisUrl: string | undefined;
  /** What throttling does while Redis is unreachable: per-node buckets ("local") or refuse with 429 ("closed"). */
  redisOutage: "local" | "closed";
  /** Processes `tollgate serve` runs sharing the listeners (node:cluster); 1 = no cluster. */
  workers: number;
  /** A Lambda-compatible endpoint that runs the functions this gateway does not host itself; unset = local only. */
  lambdaEndpoint: string | undefined;
  /** Credentials the remote Lambda Invoke calls are signed with (TOLLGATE_LAMBDA_* or AWS_ACCESS_KEY_ID/…). */
  lambdaCredentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Where hosted functions run: worker threads of the gateway process, or child processes. */
  lambdaIsolation: LambdaIsolation;
  /** A Cognito-compatible endpoint whose user pools COGNITO_USER_POOLS authorizers trust; unset = AWS's. */
  cognitoEndpoint: string | undefined;
  /** The interface VPC endpoint the data plane stands for when PRIVATE APIs are called (aws:SourceVpce). */
  vpcEndpointId: string | undefined;
}

/** The seed's account quotas; each can be raised through its own variable. */
export interface ServiceLimits {
  regionalApis: number;
  privateApis: number;
  edgeApis: number;
  stagesPerApi: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

interface Setting {
  env: string;
  flag: string;
  defaultValue: string | undefined;
  help: string;
}

function setting(env: string, defaultValue: string | undefined, help: string): Setting {
  return { env, flag: "--" + env.slice("TOLLGATE_".length).toLowerCase().replaceAll("_", "-"), defaultValue, help };
}

export const SETTINGS = {
  adminHost: setting("TOLLGATE_ADMIN_HOST", "127.0.0.1", "management API listen address"),
  adminPort: setting("TOLLGATE_ADMIN_PORT", "9001", "management API port (0 = any free port)"),
  host: setting("TOLLGATE_HOST", "0.0.0.0", "HTTPS data plane listen address"),
  port: setting("TOLLGATE_PORT", "8443", "HTTPS data plane port (0 = any free port)"),
  dataDir: setting("TOLLGATE_DATA_DIR", "./.tollgate", "SQLite store, generated certificate and credentials"),
  region: setting("TOLLGATE_REGION", "us-east-1", "region used in ARNs and the SigV4 scope"),
  accountId: setting("TOLLGATE_ACCOUNT_ID", "000000000000", "12-digit account id used in ARNs and messages"),
  adminAccessKeyId: setting("TOLLGATE_ADMIN_ACCESS_KEY_ID", undefined, "admin access key id (generated when unset)"),
  adminSecretAccessKey: setting("TOLLGATE_ADMIN_SECRET_ACCESS_KEY", undefined, "admin secret access key (generated when unset)"),
  databaseUrl: setting("TOLLGATE_DATABASE_URL", undefined, "postgres://… selects PostgreSQL instead of SQLite"),
  logLevel: setting("TOLLGATE_LOG_LEVEL", "info", "fatal, error, warn, info, debug, trace or silent"),
  tlsCert: setting("TOLLGATE_TLS_CERT", undefined, "PEM certificate file for the data plane"),
  tlsKey: setting("TOLLGATE_TLS_KEY", undefined, "PEM private key file for the data plane"),
  executeApiDomain: setting("TOLLGATE_EXECUTE_API_DOMAIN", "execute-api.localhost", "host suffix of {restApiId}.<domain>"),
  maxRegionalApis: setting("TOLLGATE_MAX_REGIONAL_APIS", "600", "REGIONAL REST APIs per account"),
  maxPrivateApis: setting("TOLLGATE_MAX_PRIVATE_APIS", "600", "PRIVATE REST APIs per account"),
  maxEdgeApis: setting("TOLLGATE_MAX_EDGE_APIS", "120", "EDGE REST APIs per account"),
  maxStagesPerApi: setting("TOLLGATE_MAX_STAGES_PER_API", "10", "stages per REST API"),
  redisUrl: setting("TOLLGATE_REDIS_URL", undefined, "redis://… shares throttling buckets between workers and nodes"),
  redisOutage: setting("TOLLGATE_REDIS_OUTAGE", "local", "while Redis is down: local (per-node limits) or closed (429)"),
  workers: setting("TOLLGATE_WORKERS", undefined, "worker processes sharing the listeners (default one per core; 1 = no cluster)"),
  lambdaEndpoint: setting("TOLLGATE_LAMBDA_ENDPOINT", undefined, "http(s) URL of a Lambda-compatible endpoint for functions not hosted here"),
  lambdaAccessKeyId: setting("TOLLGATE_LAMBDA_ACCESS_KEY_ID", undefined, "access key id for the remote Lambda endpoint (default AWS_ACCESS_KEY_ID)"),
  lambdaSecretAccessKey: setting("TOLLGATE_LAMBDA_SECRET_ACCESS_KEY", undefined, "secret key for the remote Lambda endpoint (default AWS_SECRET_ACCESS_KEY)"),
  vpcEndpointId: setting("TOLLGATE_VPC_ENDPOINT_ID", undefined, "vpce-… id PRIVATE APIs see their calls come through (aws:SourceVpce, $context.identity.vpceId)"),
  cognitoEndpoint: setting("TOLLGATE_COGNITO_ENDPOINT", undefined, "http(s) URL of a Cognito-compatible IdP whose user pools' JWKS verify COGNITO_USER_POOLS tokens"),
  lambdaIsolation: setting("TOLLGATE_LAMBDA_ISOLATION", "thread", "where hosted functions run: thread (worker threads) or process (child processes, cwd = code)"),
} as const satisfies Record<string, Setting>;

type SettingKey = keyof typeof SETTINGS;

/** Parses `--flag value` and `--flag=value` pairs; unknown flags are a ConfigError. */
function parseFlags(args: readonly string[]): Map<string, string> {
  const byFlag = new Map<string, Setting>(Object.values(SETTINGS).map((s) => [s.flag, s]));
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const known = byFlag.get(flag);
    if (!known) throw new ConfigError(flag, "unknown option (see tollgate --help)");
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new ConfigError(flag, "needs a value");
    values.set(known.env, value);
  }
  return values;
}

export function loadConfig(args: readonly string[], env: NodeJS.ProcessEnv): TollgateConfig {
  const flags = parseFlags(args);
  const raw = (key: SettingKey): string | undefined => {
    const s = SETTINGS[key];
    const v = flags.get(s.env) ?? env[s.env];
    return v === undefined || v === "" ? s.defaultValue : v;
  };
  const port = (key: SettingKey): number => {
    const v = raw(key)!;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n > 65535) throw new ConfigError(SETTINGS[key].env, `invalid port '${v}' (0-65535)`);
    return n;
  };
  const httpUrl = (key: SettingKey): string | undefined => {
    const v = raw(key);
    if (v !== undefined && !/^https?:\/\/[^/]+/i.test(v)) throw new ConfigError(SETTINGS[key].env, `must be an http(s) URL, got '${v}'`);
    return v;
  };
  const positive = (key: SettingKey): number => {
    const v = raw(key)!;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new ConfigError(SETTINGS[key].env, `must be a positive integer, got '${v}'`);
    return Number(v);
  };

  const region = raw("region")!;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError(SETTINGS.region.env, `invalid region '${region}'`);
  const accountId = raw("accountId")!;
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(SETTINGS.accountId.env, `must be 12 digits, got '${accountId}'`);
  const logLevel = raw("logLevel")! as LogLevel;
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    throw new ConfigError(SETTINGS.logLevel.env, `invalid level '${logLevel}'`);
  }
  const databaseUrl = raw("databaseUrl");
  if (databaseUrl !== undefined) checkDatabaseUrl(databaseUrl);
  const accessKey = raw("adminAccessKeyId");
  const secret = raw("adminSecretAccessKey");
  if ((accessKey === undefined) !== (secret === undefined)) {
    const missing = accessKey === undefined ? SETTINGS.adminAccessKeyId.env : SETTINGS.adminSecretAccessKey.env;
    throw new ConfigError(missing, "both admin credentials must be set together");
  }
  const tlsCert = raw("tlsCert");
  const tlsKey = raw("tlsKey");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(tlsCert === undefined ? SETTINGS.tlsCert.env : SETTINGS.tlsKey.env, "certificate and key must be set together");
  }
  for (const [key, file] of [["tlsCert", tlsCert], ["tlsKey", tlsKey]] as const) {
    if (file !== undefined) checkReadable(SETTINGS[key].env, file);
  }
  const redisUrl = raw("redisUrl");
  if (redisUrl !== undefined) checkRedisUrl(redisUrl);
  const redisOutage = raw("redisOutage")!;
  if (redisOutage !== "local" && redisOutage !== "closed") {
    throw new ConfigError(SETTINGS.redisOutage.env, `must be 'local' or 'closed', got '${redisOutage}'`);
  }
  const workers = raw("workers") === undefined ? availableParallelism() : positive("workers");
  const lambdaEndpoint = httpUrl("lambdaEndpoint");
  const cognitoEndpoint = httpUrl("cognitoEndpoint");
  const vpcEndpointId = raw("vpcEndpointId");
  if (vpcEndpointId !== undefined && !/^vpce-[0-9a-z]+$/.test(vpcEndpointId)) {
    throw new ConfigError(SETTINGS.vpcEndpointId.env, `must look like vpce-0123456789abcdef0, got '${vpcEndpointId}'`);
  }
  const lambdaIsolation = raw("lambdaIsolation")!;
  if (lambdaIsolation !== "thread" && lambdaIsolation !== "process") {
    throw new ConfigError(SETTINGS.lambdaIsolation.env, `must be thread or process, got '${lambdaIsolation}'`);
  }
  const lambdaKeyId = raw("lambdaAccessKeyId") ?? (env["AWS_ACCESS_KEY_ID"] || undefined);
  const lambdaSecret = raw("lambdaSecretAccessKey") ?? (env["AWS_SECRET_ACCESS_KEY"] || undefined);
  if (lambdaEndpoint !== undefined && (lambdaKeyId === undefined || lambdaSecret === undefined)) {
    throw new ConfigError(SETTINGS.lambdaAccessKeyId.env, "credentials for TOLLGATE_LAMBDA_ENDPOINT are needed (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  const domain = raw("executeApiDomain")!;
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(domain)) {
    throw new ConfigError(SETTINGS.executeApiDomain.env, `invalid domain '${domain}'`);
  }

  return {
    adminHost: raw("adminHost")!,
    adminPort: port("adminPort"),
    host: raw("host")!,
    port: port("port"),
    dataDir: prepareDataDir(raw("dataDir")!),
    region,
    accountId,
    adminAccessKeyId: accessKey,
    adminSecretAccessKey: secret,
    databaseUrl,
    logLevel,
    tlsCert,
    tlsKey,
    executeApiDomain: domain.toLowerCase(),
    limits: {
      regionalApis: positive("maxRegionalApis"),
      privateApis: positive("maxPrivateApis"),
      edgeApis: positive("maxEdgeApis"),
      stagesPerApi: positive("maxStagesPerApi"),
    },
    redisUrl,
    redisOutage,
    workers,
    lambdaEndpoint,
    lambdaCredentials: lambdaKeyId !== undefined && lambdaSecret !== undefined ? { accessKeyId: lambdaKeyId, secretAccessKey: lambdaSecret } : undefined,
    lambdaIsolation,
    cognitoEndpoint,
    vpcEndpointId,
  };
}

function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(SETTINGS.databaseUrl.env, `malformed URL '${url}'`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(SETTINGS.databaseUrl.env, `unsupported scheme '${parsed.protocol}' (use postgres://)`);
  }
}

function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(SETTINGS.redisUrl.env, `malformed URL '${url}'`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ConfigError(SETTINGS.redisUrl.env, `unsupported scheme '${parsed.protocol}' (use redis:// or rediss://)`);
  }
  if (parsed.hostname === "") throw new ConfigError(SETTINGS.redisUrl.env, `missing host in '${url}'`);
  // The path selects the database number (redis://host:6379/12), as ioredis reads it.
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new ConfigError(SETTINGS.redisUrl.env, `invalid database number '${db}' in '${url}'`);
}

function checkReadable(variable: string, file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new ConfigError(variable, `cannot read '${file}'`);
  }
}

function prepareDataDir(dir: string): string {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if (!statSync(path).isDirectory()) throw new Error("not a directory");
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (err) {
    const reason = err instanceof Error && "code" in err ? String(err.code) : "not usable";
    throw new ConfigError(SETTINGS.dataDir.env, `data dir '${path}' is not a readable, writable directory (${reason})`);
  }
  return path;
}

export function helpText(): string {
  const rows = Object.values(SETTINGS).map(
    (s) => `  ${(s.flag + " <value>").padEnd(36)} ${s.env}${s.defaultValue !== undefined ? ` (default ${s.defaultValue})` : ""}\n      ${s.help}`,
  );
  return [
    "Usage: tollgate <command> [options]",
    "",
    "Commands:",
    "  serve            run the gateway (management API + HTTPS data plane)",
    "  usage export     print API-key metering as CSV (--from/--to YYYY-MM-DD; same store options as serve)",
    "",
    "Options for serve (each also read from its environment variable):",
    ...rows,
    "",
    "  --help           show this help",
    "  --version        print the version",
  ].join("\n");
}
