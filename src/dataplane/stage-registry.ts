// The live registry apiId → stageName → CompiledStage. Built from the store at start, then kept current from
// the store's change feed: a stage update or a new deployment compiles a new stage and swaps it in atomically
// (a Map.set); requests already running hold a reference to the one they started with.
import type { Logger } from "pino";
import type { DeploymentDoc, StageDoc } from "../domain/stage.js";
import { deploymentDocId, stageDocId } from "../domain/stage.js";
import type { ConfigStore, DocChange } from "../store/config-store.js";
import { compileStage, type CompileServices } from "./compile/compile-stage.js";
import type { CompiledStage } from "./compiled-stage.js";
import type { StageSource } from "./pipeline.js";
import { ChangeQueue } from "./change-queue.js";
import type { StageAccessLogs } from "./stage-access-log.js";

export class StageRegistry implements StageSource {
  private readonly apis = new Map<string, Map<string, CompiledStage>>();
  private readonly changes: ChangeQueue;

  constructor(
    private readonly store: ConfigStore,
    private readonly accountId: string,
    private readonly services: CompileServices,
    logger: Logger,
    /** Stage access logs (accessLogSettings); absent, no stage writes one. */
    private readonly accessLogs?: StageAccessLogs,
  ) {
    this.changes = new ChangeQueue(logger, "data plane could not apply a configuration change");
  }

  get(apiId: string, stageName: string): CompiledStage | undefined {
    const stage = this.apis.get(apiId)?.get(stageName);
    if (stage?.canary && Math.random() * 100 < stage.canary.percentTraffic) return stage.canary.stage;
    return stage;
  }

  async start(): Promise<void> {
    this.changes.follow(this.store, (changes) => this.changes.enqueue(() => this.apply(changes)));
    for (const stage of await this.store.reader.list<StageDoc>("stage")) await this.reloadStage(stage.restApiId, stage.stageName);
  }

  stop(): void {
    this.changes.stop();
  }

  /** Resolves once every change received so far has been applied (tests wait on it after a deployment). */
  settled(): Promise<void> {
    return this.changes.settled();
  }

  private async apply(changes: readonly DocChange[]): Promise<void> {
    for (const change of changes) {
      if (change.kind === "stage") {
        const slash = change.id.indexOf("/");
        await this.reloadStage(change.id.slice(0, slash), change.id.slice(slash + 1));
      } else if (change.kind === "restapi" && change.op === "delete") {
        this.apis.delete(change.id);
      } else if (change.kind === "deployment") {
        // Deployments are immutable; a stage only changes when it is repointed (a "stage" change). A deleted or
        // rewritten deployment still gets its stages recompiled so nothing serves a snapshot the store no longer has.
        const apiId = change.parent;
        const depId = change.id.slice(change.id.indexOf("/") + 1);
        for (const [name, stage] of this.apis.get(apiId) ?? []) {
          if (stage.deploymentId === depId || stage.canary?.stage.deploymentId === depId) await this.reloadStage(apiId, name);
        }
      }
    }
  }

  private async reloadStage(apiId: string, stageName: string): Promise<void> {
    const reader = this.store.reader;
    const doc = await reader.get<StageDoc>("stage", stageDocId(apiId, stageName));
    const deployment = doc && (await reader.get<DeploymentDoc>("deployment", deploymentDocId(apiId, doc.deploymentId)));
    if (!doc || !deployment) {
      this.apis.get(apiId)?.delete(stageName);
      return;
    }
    const compiled = compileStage(
      {
        accountId: this.accountId,
        apiId,
        stageName,
        deploymentId: doc.deploymentId,
        variables: { ...doc.variables },
        snapshot: deployment.snapshot,
        methodSettings: doc.methodSettings,
        cacheClusterEnabled: doc.cacheClusterEnabled,
        cacheEpoch: doc.cacheEpoch ?? 0,
        authorizerCacheEpoch: doc.authorizerCacheEpoch ?? 0,
      },
      this.services,
    );
    let canary: CompiledStage["canary"];
    const settings = doc.canarySettings;
    if (settings?.deploymentId !== undefined) {
      const canaryDeployment = await reader.get<DeploymentDoc>("deployment", deploymentDocId(apiId, settings.deploymentId));
      if (canaryDeployment) {
        const canaryStage = compileStage(
          {
            accountId: this.accountId,
            apiId,
            stageName,
            deploymentId: settings.deploymentId,
            variables: { ...doc.variables, ...(settings.stageVariableOverrides ?? {}) },
            snapshot: canaryDeployment.snapshot,
            methodSettings: doc.methodSettings,
            // Canary requests use the stage cache only when canarySettings.useStageCache says so (§9).
            cacheClusterEnabled: doc.cacheClusterEnabled && settings.useStageCache === true,
            cacheEpoch: doc.cacheEpoch ?? 0,
            authorizerCacheEpoch: doc.authorizerCacheEpoch ?? 0,
          },
          this.services,
        );
        canary = { percentTraffic: settings.percentTraffic ?? 0, stage: { ...canaryStage, isCanary: true } };
      }
    }
    const accessLog = this.accessLogs?.writer(doc.accessLogSettings, false);
    if (canary) {
      const canaryLog = this.accessLogs?.writer(doc.accessLogSettings, true);
      if (canaryLog) canary = { ...canary, stage: { ...canary.stage, accessLog: canaryLog } };
    }
    let stages = this.apis.get(apiId);
    if (!stages) this.apis.set(apiId, (stages = new Map()));
    stages.set(stageName, { ...compiled, ...(canary ? { canary, isCanary: false } : {}), ...(accessLog ? { accessLog } : {}) });
  }
}
