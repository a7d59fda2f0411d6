#include "VitrineTypes.h"

#include "VitrineCoreIncludes.h"

// The enum's numbers are gRPC's, so the mapping is a range check.
static_assert(static_cast<int32>(EVitrineErrorCode::Unavailable) == grpc::StatusCode::UNAVAILABLE, "gRPC code drift");
static_assert(static_cast<int32>(EVitrineErrorCode::Unauthenticated) == grpc::StatusCode::UNAUTHENTICATED, "gRPC code drift");
static_assert(static_cast<int32>(EVitrineErrorCode::ResourceExhausted) == grpc::StatusCode::RESOURCE_EXHAUSTED, "gRPC code drift");
static_assert(static_cast<int32>(EVitrineErrorCode::DeadlineExceeded) == grpc::StatusCode::DEADLINE_EXCEEDED, "gRPC code drift");

EVitrineErrorCode VitrineErrorCodeFromStatusCode(int32 StatusCode)
{
	if (StatusCode < 0 || StatusCode > static_cast<int32>(EVitrineErrorCode::Unauthenticated))
	{
		return EVitrineErrorCode::Unknown;
	}
	return static_cast<EVitrineErrorCode>(StatusCode);
}

bool IsRetryableVitrineError(EVitrineErrorCode Code)
{
	return vitrine::IsRetryableStatus(static_cast<grpc::StatusCode>(Code));
}

namespace VitrineConvert
{
FVitrineDecision ToDecision(const vitrine::v1::Decision& Source)
{
	FVitrineDecision Result;
	Result.DecisionId = FromUtf8(Source.decision_id());
	Result.PlacementId = FromUtf8(Source.placement_id());
	for (const vitrine::v1::RankedItem& Item : Source.items())
	{
		FVitrineRankedItem& Ranked = Result.Items.AddDefaulted_GetRef();
		Ranked.ItemId = FromUtf8(Item.item_id());
		Ranked.Brand = FromUtf8(Item.brand());
		Ranked.bHasCreative = Item.has_creative();
		Ranked.Creative.CreativeId = FromUtf8(Item.creative().creative_id());
		Ranked.Creative.HeadlineTemplate = FromUtf8(Item.creative().headline_template());
		Ranked.Creative.Color = FromUtf8(Item.creative().color());
		Ranked.Creative.AssetUri = FromUtf8(Item.creative().asset_uri());
		Ranked.Score = Item.score();
		Ranked.Probability = Item.probability();
		Ranked.bExplored = Item.explored();
		Ranked.CampaignId = FromUtf8(Item.campaign_id());
	}
	return Result;
}
}  // namespace VitrineConvert
