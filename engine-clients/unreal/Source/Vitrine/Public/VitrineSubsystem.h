#pragma once

#include "CoreMinimal.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "VitrineTypes.h"

#include "VitrineSubsystem.generated.h"

namespace vitrine
{
class Client;
class EventFactory;
namespace v1
{
class Event;
}
}  // namespace vitrine

/** Called on the game thread with the outcome of a recommendation request. */
using FVitrineDecisionCallback =
	TFunction<void(EVitrineErrorCode Code, const FString& Message, const FVitrineDecision& Decision)>;

/**
 * The game's one connection to Vitrine, alive as long as the game instance: owns the core
 * client (one gRPC channel, the offline telemetry queue on disk under Saved/Vitrine) and the
 * current player session. Nothing here blocks the game thread; results come back on it.
 */
UCLASS()
class VITRINE_API UVitrineSubsystem : public UGameInstanceSubsystem
{
	GENERATED_BODY()

public:
	UVitrineSubsystem();
	virtual ~UVitrineSubsystem() override;

	virtual void Initialize(FSubsystemCollectionBase& Collection) override;
	virtual void Deinitialize() override;

	/** Starts a play session for a pseudonymous player id (never an e-mail or a name). */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void StartSession(const FString& PlayerId, bool bPersonalizationConsent);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void EndSession();

	/** The scene (level) the player is in; an id from the Vitrine catalog. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void SetScene(const FString& SceneId);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void EnterZone(const FString& ZoneId, FVector Position);

	/** Reports leaving a zone, with the time since EnterZone as dwell. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ExitZone(const FString& ZoneId, FVector Position);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void TrackCustomEvent(const FString& Name, const TMap<FString, FString>& Properties);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportExposure(const FVitrineExposure& Exposure);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportInteraction(const FString& PlacementId, const FString& DecisionId, const FString& ItemId,
		const FString& CreativeId, EVitrineInteractionKind Kind, float DurationSeconds);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportConversion(const FString& PlacementId, const FString& DecisionId, const FString& ItemId,
		EVitrineConversionKind Kind, float Value, const FString& Currency);

	/** Rewards a decision explicitly, e.g. when a quest tied to the ad completes. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void RewardDecision(const FString& DecisionId, float Value);

	/** Sends pending telemetry now, e.g. at a level change; also resumes after a paused queue. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void FlushTelemetry();

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	FVitrineTelemetryStats GetTelemetryStats() const;

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	bool IsSessionActive() const;

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	FString GetSceneId() const { return SceneId; }

	/** Asks what a placement shows the current player; OnDone runs on the game thread. */
	void RequestDecision(const FString& PlacementId, FVitrineDecisionCallback OnDone);

private:
	void Enqueue(vitrine::v1::Event&& Event);
	void HandleEnterBackground();

	TUniquePtr<vitrine::Client> Client;
	/** Null outside a session. */
	TUniquePtr<vitrine::EventFactory> Events;
	FString SceneId;
	double SessionStartSeconds = 0.0;
	TMap<FString, double> ZoneEnteredSeconds;
	FDelegateHandle EnterBackgroundHandle;
};
