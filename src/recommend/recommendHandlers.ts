import type {
  RecommendationServiceServer,
  RecommendRequest,
  RecommendResponse,
  RecommendSceneRequest,
  RecommendSceneResponse,
  RewardRequest,
  RewardResponse,
} from "../gen/vitrine/v1/recommendation_service.js";
import { unary, type HandlerDeps } from "../server/handlers.js";
import type { Recommendations } from "./recommendations.js";

export function recommendHandlers(deps: HandlerDeps, recommendations: Recommendations): RecommendationServiceServer {
  return {
    recommend: unary<RecommendRequest, RecommendResponse>(deps, ["client"], async (request, { caller }) => ({
      decision: await recommendations.recommend(caller.game, request),
    })),
    recommendScene: unary<RecommendSceneRequest, RecommendSceneResponse>(deps, ["client"], async (request, { caller }) => ({
      decisions: await recommendations.recommendScene(caller.game, request),
    })),
    reward: unary<RewardRequest, RewardResponse>(deps, ["client"], (request, { caller }) => recommendations.reward(caller.game, request)),
  };
}
