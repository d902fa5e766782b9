// Custom domain names on the data plane (data-plane.md §2.2): the live map domain name → base path mappings, read
// from the store at start and kept current from its change feed (like the stage registry), so a request resolves
// its mapping from memory. A mapping names an API and optionally a stage; without a stage the stage is the first
// path segment after the base path. REST (V1) base paths are one segment, so "longest prefix on whole segments"
// comes down to: the first segment's mapping, else the `(none)` mapping.
import type { Logger } from "pino";
import { NO_BASE_PATH, type CustomDomainDoc } from "../../domain/custom-domain.js";
import type { ConfigStore } from "../../store/config-store.js";
import { ChangeQueue } from "../change-queue.js";
import type { EndpointTarget } from "./endpoint-resolver.js";
import { firstSegment } from "./first-segment.js";

interface Mapping {
  readonly restApiId: string;
  readonly stage: string | undefined;
}

interface Domain {
  /** Base path (one segment) → mapping; `(none)` under NO_BASE_PATH. */
  readonly mappings: ReadonlyMap<string, Mapping>;
}

export interface CustomDomainLookup {
  /** The target of a request on `hostName` (lower case, no port), or undefined when it is not a custom domain. */
  resolve(hostName: string, rawPath: string): EndpointTarget | "no-mapping" | undefined;
}

export class CustomDomainRegistry implements CustomDomainLookup {
  private readonly domains = new Map<string, Domain>();
  private readonly changes: ChangeQueue;

  constructor(
    private readonly store: ConfigStore,
    logger: Logger,
  ) {
    this.changes = new ChangeQueue(logger, "data plane could not apply a custom domain change");
  }

  async start(): Promise<void> {
    this.changes.follow(this.store, (changes) => {
      for (const change of changes) {
        if (change.kind === "domainname") this.changes.enqueue(() => this.reload(change.id));
      }
    });
    for (const doc of await this.store.reader.list<CustomDomainDoc>("domainname")) this.set(doc);
  }

  stop(): void {
    this.changes.stop();
  }

  /** Resolves once every change received so far has been applied. */
  settled(): Promise<void> {
    return this.changes.settled();
  }

  resolve(hostName: string, rawPath: string): EndpointTarget | "no-mapping" | undefined {
    const domain = this.domains.get(hostName);
    if (!domain) return undefined;
    // Leading duplicate slashes collapse, as for the default endpoint.
    const { segment: first, rest: afterFirst, start } = firstSegment(rawPath);
    let mapping = first === "" ? undefined : domain.mappings.get(first);
    let basePath = first;
    let rest = afterFirst;
    if (!mapping) {
      mapping = domain.mappings.get(NO_BASE_PATH);
      basePath = "";
      rest = rawPath.slice(start === 0 ? 0 : start - 1);
    }
    if (!mapping) return "no-mapping";
    let stageName = mapping.stage;
    if (stageName === undefined) {
      // No stage in the mapping: the client names it, first thing after the base path.
      const next = firstSegment(rest);
      if (next.segment === "") return "no-mapping";
      stageName = next.segment;
      rest = next.rest;
    }
    // `$context.path` (and the Lambda event's `path`) is the path as the client sent it, base path included.
    return { apiId: mapping.restApiId, stageName, resourcePath: rest === "/" ? "" : rest, contextPath: rawPath, basePathMatched: basePath };
  }

  private async reload(name: string): Promise<void> {
    const doc = await this.store.reader.get<CustomDomainDoc>("domainname", name);
    if (doc) this.set(doc);
    else this.domains.delete(name.toLowerCase());
  }

  private set(doc: CustomDomainDoc): void {
    const mappings = new Map<string, Mapping>();
    for (const m of Object.values(doc.basePathMappings ?? {})) mappings.set(m.basePath, { restApiId: m.restApiId, stage: m.stage });
    this.domains.set(doc.domainName.toLowerCase(), { mappings });
  }
}
