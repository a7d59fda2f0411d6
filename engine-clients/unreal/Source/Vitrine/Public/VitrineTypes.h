#pragma once

#include "CoreMinimal.h"

#include "VitrineTypes.generated.h"

/** The canonical gRPC status codes, with the same numbers, so a code read in a log or in
 *  grpcurl means the same thing in Blueprints. */
UENUM(BlueprintType)
enum class EVitrineErrorCode : uint8
{
	Ok = 0 UMETA(DisplayName = "OK"),
	Cancelled = 1,
	Unknown = 2,
	InvalidArgument = 3,
	DeadlineExceeded = 4,
	NotFound = 5,
	AlreadyExists = 6,
	PermissionDenied = 7,
	ResourceExhausted = 8,
	FailedPrecondition = 9,
	Aborted = 10,
	OutOfRange = 11,
	Unimplemented = 12,
	Internal = 13,
	Unavailable = 14,
	DataLoss = 15,
	Unauthenticated = 16,
};

/** What the player did with a placement; mirrors vitrine.v1.InteractionKind. */
UENUM(BlueprintType)
enum class EVitrineInteractionKind : uint8
{
	None = 0 UMETA(Hidden),
	Click = 1,
	Touch = 2,
	Grab = 3,
	TryOn = 4,
	Talk = 5,
	Inspect = 6,
	EnterPortal = 7,
	Listen = 8,
};

/** How the player converted; mirrors vitrine.v1.ConversionKind. */
UENUM(BlueprintType)
enum class EVitrineConversionKind : uint8
{
	None = 0 UMETA(Hidden),
	Purchase = 1,
	AddToInventory = 2,
	SignUp = 3,
	Redeem = 4,
};

/** The creative variant a decision chose for an item. */
USTRUCT(BlueprintType)
struct VITRINE_API FVitrineCreative
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString CreativeId;

	/** The headline, with {placeholders} for the game to fill. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString HeadlineTemplate;

	/** The main colour, "#RRGGBB". */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString Color;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString AssetUri;
};

/** One item of a decision's ranking; the first is what the placement shows. */
USTRUCT(BlueprintType)
struct VITRINE_API FVitrineRankedItem
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString ItemId;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString Brand;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	bool bHasCreative = false;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FVitrineCreative Creative;

	/** The model's predicted probability of engagement, 0..1. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	double Score = 0.0;

	/** The probability the policy chose this item at this rank (the logged propensity). */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	double Probability = 0.0;

	/** Whether exploration rather than the model's ranking chose it. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	bool bExplored = false;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString CampaignId;
};

/** What a placement shows a player. Send DecisionId back with the telemetry of what was shown. */
USTRUCT(BlueprintType)
struct VITRINE_API FVitrineDecision
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString DecisionId;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	FString PlacementId;

	/** In rank order; empty when nothing fits (paused placement, caps, no eligible item). */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	TArray<FVitrineRankedItem> Items;

	bool HasItems() const { return Items.Num() > 0; }
};

/** One exposure of a placement, as the server classifies it for viewability. */
USTRUCT(BlueprintType)
struct VITRINE_API FVitrineExposure
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	FString PlacementId;

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	FString DecisionId;

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	FString ItemId;

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	FString CreativeId;

	/** The share of the screen the placement covered, 0..1. */
	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	double ScreenFraction = 0.0;

	/** The share of the placement that was visible, 0..1. */
	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	double VisibleFraction = 0.0;

	/** Between the view ray and the placement's normal, degrees, 0..180. */
	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	double ViewAngleDeg = 0.0;

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	int64 ContinuousVisibleMs = 0;

	UPROPERTY(BlueprintReadWrite, Category = "Vitrine")
	int64 TotalVisibleMs = 0;
};

/** The telemetry queue's counters, for a debug HUD. */
USTRUCT(BlueprintType)
struct VITRINE_API FVitrineTelemetryStats
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 EventsEnqueued = 0;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 EventsAccepted = 0;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 EventsDuplicate = 0;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 EventsRejected = 0;

	/** Batches lost because the offline queue was full. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 BatchesDropped = 0;

	/** Batches on disk waiting for the server. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	int64 BatchesQueued = 0;

	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	EVitrineErrorCode LastFailure = EVitrineErrorCode::Ok;

	/** True when a non-retryable error (e.g. a revoked key) stopped sending. */
	UPROPERTY(BlueprintReadOnly, Category = "Vitrine")
	bool bPaused = false;
};

/** Maps a gRPC status code number to the enum; numbers outside 0..16 become Unknown. */
VITRINE_API EVitrineErrorCode VitrineErrorCodeFromStatusCode(int32 StatusCode);

/** Whether a call that failed with this code may succeed later (the retryable gRPC codes). */
VITRINE_API bool IsRetryableVitrineError(EVitrineErrorCode Code);
