import type { GetModelStatusRequest, GetModelStatusResponse } from "../gen/vitrine/v1/insights_service.js";
import { InsightsServiceService } from "../gen/vitrine/v1/insights_service.js";
import type { EngagementModel } from "../model/engagementModel.js";
import type { AppDeps, Capability } from "../server/capability.js";
import { unary } from "../server/handlers.js";
import { unimplementedCapability } from "../server/unimplementedCapability.js";

/** InsightsService. The model's status is served; reports and evaluation answer UNIMPLEMENTED until built. */
export function createInsightsCapability(deps: AppDeps, model: EngagementModel): Capability {
  const [service] = unimplementedCapability(deps, "vitrine.v1.InsightsService", InsightsServiceService, ["designer", "admin"]).services;
  const getModelStatus = unary<GetModelStatusRequest, GetModelStatusResponse>(deps, ["designer", "admin"], () => {
    const status = model.status();
    return {
      backend: status.backend,
      modelVersion: status.version,
      examplesSeen: status.examplesSeen,
      progressiveLogLoss: status.progressiveLogLoss,
      progressiveAuc: status.progressiveAuc,
      calibration: status.calibration,
      lastSnapshotTime: status.lastSnapshotTime,
      pendingExamples: status.pendingExamples,
    };
  });
  return { services: [{ ...service!, implementation: { ...service!.implementation, getModelStatus } }] };
}
