#pragma once

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "VitrineTypes.h"

#include "VitrinePlacementComponent.generated.h"

namespace vitrine
{
class ViewabilityTracker;
}

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVitrineDecisionReceived, const FVitrineDecision&, Decision);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(
	FVitrineRequestFailed, EVitrineErrorCode, Code, const FString&, Message);
DECLARE_DYNAMIC_MULTICAST_DELEGATE(FVitrineBecameViewable);

/**
 * Makes an actor a Vitrine placement: when it first comes into view it asks the server what
 * to show and broadcasts the decision; every frame it measures how much of the screen it
 * covers, how much of it is visible and at what angle, and reports the exposure (with the
 * IAB/MRC viewability inputs) when it leaves the view or the actor ends play.
 */
UCLASS(ClassGroup = (Vitrine), meta = (BlueprintSpawnableComponent))
class VITRINE_API UVitrinePlacementComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UVitrinePlacementComponent();
	virtual ~UVitrinePlacementComponent() override;

	/** The placement's id in the Vitrine catalog, e.g. "plaza-billboard-north". */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Vitrine")
	FString PlacementId;

	/** Request content the first time the placement is on screen, not at BeginPlay. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Vitrine")
	bool bRequestWhenInView = true;

	/** Measure viewability from the first local player's camera every frame. Turn off to feed
	 *  UpdateViewability yourself (audio, VR, split screen). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Vitrine")
	bool bMeasureViewability = true;

	/** The surface's normal in the actor's local space; zero for surfaces seen from anywhere. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Vitrine")
	FVector LocalFacing = FVector::ForwardVector;

	UPROPERTY(BlueprintAssignable, Category = "Vitrine")
	FVitrineDecisionReceived OnDecisionReceived;

	UPROPERTY(BlueprintAssignable, Category = "Vitrine")
	FVitrineRequestFailed OnRequestFailed;

	/** Fires once per exposure, when the placement has met the viewability rule for 1 s. */
	UPROPERTY(BlueprintAssignable, Category = "Vitrine")
	FVitrineBecameViewable OnBecameViewable;

	/** Asks for content now; ignored while a request is in flight. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void RequestContent();

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportInteraction(EVitrineInteractionKind Kind, float DurationSeconds = 0.0f);

	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportConversion(EVitrineConversionKind Kind, float Value, const FString& Currency);

	/** Reports the exposure measured so far and starts a new one. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void ReportExposureNow();

	/** Feeds one frame's measurement when bMeasureViewability is off. */
	UFUNCTION(BlueprintCallable, Category = "Vitrine")
	void UpdateViewability(float ScreenFraction, float VisibleFraction, float ViewAngleDeg, float DeltaSeconds);

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	bool HasDecision() const { return bHasDecision; }

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	FVitrineDecision GetDecision() const { return Decision; }

	UFUNCTION(BlueprintPure, Category = "Vitrine")
	bool HasBeenViewable() const;

	virtual void TickComponent(
		float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

protected:
	virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;

private:
	class UVitrineSubsystem* GetVitrine() const;
	/** Screen fraction, visible fraction and view angle from the first local player's view. */
	bool MeasureFromLocalPlayer(float& OutScreenFraction, float& OutVisibleFraction, float& OutViewAngleDeg) const;
	void HandleDecision(EVitrineErrorCode Code, const FString& Message, const FVitrineDecision& NewDecision);

	TUniquePtr<vitrine::ViewabilityTracker> Tracker;
	FVitrineDecision Decision;
	bool bHasDecision = false;
	bool bRequestInFlight = false;
	bool bWasOnScreen = false;
};
