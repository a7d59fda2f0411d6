#include "VitrinePlacementComponent.h"

#include "Camera/PlayerCameraManager.h"
#include "CollisionQueryParams.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "GameFramework/Actor.h"
#include "GameFramework/PlayerController.h"
#include "VitrineCoreIncludes.h"
#include "VitrineSubsystem.h"

UVitrinePlacementComponent::UVitrinePlacementComponent()
	: Tracker(MakeUnique<vitrine::ViewabilityTracker>())
{
	PrimaryComponentTick.bCanEverTick = true;
	// After the camera has moved this frame, so the measurement matches what was drawn.
	PrimaryComponentTick.TickGroup = TG_PostUpdateWork;
}

// Defined here, where vitrine::ViewabilityTracker is complete.
UVitrinePlacementComponent::~UVitrinePlacementComponent() = default;

UVitrineSubsystem* UVitrinePlacementComponent::GetVitrine() const
{
	const UWorld* World = GetWorld();
	UGameInstance* GameInstance = World ? World->GetGameInstance() : nullptr;
	return GameInstance ? GameInstance->GetSubsystem<UVitrineSubsystem>() : nullptr;
}

void UVitrinePlacementComponent::RequestContent()
{
	UVitrineSubsystem* Vitrine = GetVitrine();
	if (bRequestInFlight || !Vitrine)
	{
		return;
	}
	bRequestInFlight = true;
	TWeakObjectPtr<UVitrinePlacementComponent> WeakThis(this);
	Vitrine->RequestDecision(PlacementId,
		[WeakThis](EVitrineErrorCode Code, const FString& Message, const FVitrineDecision& NewDecision)
		{
			if (WeakThis.IsValid())
			{
				WeakThis->HandleDecision(Code, Message, NewDecision);
			}
		});
}

void UVitrinePlacementComponent::HandleDecision(
	EVitrineErrorCode Code, const FString& Message, const FVitrineDecision& NewDecision)
{
	bRequestInFlight = false;
	if (Code != EVitrineErrorCode::Ok)
	{
		OnRequestFailed.Broadcast(Code, Message);
		return;
	}
	Decision = NewDecision;
	bHasDecision = true;
	// New content on the surface is a new exposure.
	Tracker->Reset();
	OnDecisionReceived.Broadcast(Decision);
}

void UVitrinePlacementComponent::ReportInteraction(EVitrineInteractionKind Kind, float DurationSeconds)
{
	if (UVitrineSubsystem* Vitrine = GetVitrine())
	{
		const FVitrineRankedItem* Shown = Decision.HasItems() ? &Decision.Items[0] : nullptr;
		Vitrine->ReportInteraction(PlacementId, Decision.DecisionId, Shown ? Shown->ItemId : FString(),
			Shown ? Shown->Creative.CreativeId : FString(), Kind, DurationSeconds);
	}
}

void UVitrinePlacementComponent::ReportConversion(EVitrineConversionKind Kind, float Value, const FString& Currency)
{
	if (UVitrineSubsystem* Vitrine = GetVitrine())
	{
		const FString ItemId = Decision.HasItems() ? Decision.Items[0].ItemId : FString();
		Vitrine->ReportConversion(PlacementId, Decision.DecisionId, ItemId, Kind, Value, Currency);
	}
}

void UVitrinePlacementComponent::ReportExposureNow()
{
	UVitrineSubsystem* Vitrine = GetVitrine();
	// Only shown content is an exposure: the server needs the item that was on the surface.
	if (!Vitrine || !Tracker->HasBeenOnScreen() || !Decision.HasItems())
	{
		Tracker->Reset();
		return;
	}
	const vitrine::ExposureSummary Summary = Tracker->Summary();
	FVitrineExposure Exposure;
	Exposure.PlacementId = PlacementId;
	Exposure.DecisionId = Decision.DecisionId;
	Exposure.ItemId = Decision.Items[0].ItemId;
	Exposure.CreativeId = Decision.Items[0].Creative.CreativeId;
	Exposure.ScreenFraction = Summary.sample.screen_fraction;
	Exposure.VisibleFraction = Summary.sample.visible_fraction;
	Exposure.ViewAngleDeg = Summary.sample.view_angle_deg;
	Exposure.ContinuousVisibleMs = Summary.continuous_visible_ms;
	Exposure.TotalVisibleMs = Summary.total_visible_ms;
	Vitrine->ReportExposure(Exposure);
	Tracker->Reset();
}

void UVitrinePlacementComponent::UpdateViewability(
	float ScreenFraction, float VisibleFraction, float ViewAngleDeg, float DeltaSeconds)
{
	const bool bBecameViewable = Tracker->Update({ScreenFraction, VisibleFraction, ViewAngleDeg}, DeltaSeconds * 1000.0);
	const bool bOnScreen = Tracker->IsOnScreen();

	if (bOnScreen && bRequestWhenInView && !bHasDecision)
	{
		RequestContent();
	}
	if (bBecameViewable)
	{
		OnBecameViewable.Broadcast();
	}
	// Leaving the view ends the exposure.
	if (bWasOnScreen && !bOnScreen)
	{
		ReportExposureNow();
	}
	bWasOnScreen = bOnScreen;
}

bool UVitrinePlacementComponent::HasBeenViewable() const
{
	return Tracker->HasBeenViewable();
}

void UVitrinePlacementComponent::TickComponent(
	float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	if (!bMeasureViewability)
	{
		return;
	}
	float ScreenFraction = 0.0f;
	float VisibleFraction = 0.0f;
	float ViewAngleDeg = 0.0f;
	MeasureFromLocalPlayer(ScreenFraction, VisibleFraction, ViewAngleDeg);
	UpdateViewability(ScreenFraction, VisibleFraction, ViewAngleDeg, DeltaTime);
}

void UVitrinePlacementComponent::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
	ReportExposureNow();
	Super::EndPlay(EndPlayReason);
}

bool UVitrinePlacementComponent::MeasureFromLocalPlayer(
	float& OutScreenFraction, float& OutVisibleFraction, float& OutViewAngleDeg) const
{
	const AActor* Owner = GetOwner();
	UWorld* World = GetWorld();
	APlayerController* Player = World ? World->GetFirstPlayerController() : nullptr;
	// Not drawn recently means culled or hidden: off screen without measuring.
	if (!Owner || !Player || !Player->PlayerCameraManager || !Owner->WasRecentlyRendered(0.1f))
	{
		return false;
	}
	int32 ViewportWidth = 0;
	int32 ViewportHeight = 0;
	Player->GetViewportSize(ViewportWidth, ViewportHeight);
	if (ViewportWidth <= 0 || ViewportHeight <= 0)
	{
		return false;
	}

	// The screen rectangle of the actor's bounding box, from its eight corners.
	const FBox Bounds = Owner->GetComponentsBoundingBox();
	FBox2D ScreenRect(ForceInit);
	for (int32 Corner = 0; Corner < 8; ++Corner)
	{
		const FVector CornerPosition((Corner & 1) ? Bounds.Max.X : Bounds.Min.X, (Corner & 2) ? Bounds.Max.Y : Bounds.Min.Y,
			(Corner & 4) ? Bounds.Max.Z : Bounds.Min.Z);
		FVector2D ScreenPosition;
		if (!Player->ProjectWorldLocationToScreen(CornerPosition, ScreenPosition))
		{
			return false;  // partly behind the camera: too close or oblique to count
		}
		ScreenRect += ScreenPosition;
	}
	const FBox2D Viewport(FVector2D::ZeroVector, FVector2D(ViewportWidth, ViewportHeight));
	const double ProjectedArea = ScreenRect.GetArea();
	if (ProjectedArea <= 0.0 || !ScreenRect.Intersect(Viewport))
	{
		return false;
	}
	const FBox2D OnScreenRect(
		FVector2D::Max(ScreenRect.Min, Viewport.Min), FVector2D::Min(ScreenRect.Max, Viewport.Max));

	// One ray to the centre decides occlusion; enough for billboards, cheap every frame.
	const FVector CameraLocation = Player->PlayerCameraManager->GetCameraLocation();
	FCollisionQueryParams Params(SCENE_QUERY_STAT(VitrineViewability), /*bTraceComplex=*/false, Owner);
	FHitResult Hit;
	const bool bOccluded =
		World->LineTraceSingleByChannel(Hit, CameraLocation, Bounds.GetCenter(), ECC_Visibility, Params);

	OutScreenFraction = static_cast<float>(OnScreenRect.GetArea() / Viewport.GetArea());
	OutVisibleFraction = bOccluded ? 0.0f : static_cast<float>(OnScreenRect.GetArea() / ProjectedArea);

	const FVector WorldFacing = Owner->GetActorTransform().TransformVectorNoScale(LocalFacing).GetSafeNormal();
	const FVector TowardCamera = (CameraLocation - Bounds.GetCenter()).GetSafeNormal();
	OutViewAngleDeg = WorldFacing.IsNearlyZero()
		? 0.0f
		: static_cast<float>(FMath::RadiansToDegrees(FMath::Acos(FMath::Clamp(FVector::DotProduct(WorldFacing, TowardCamera), -1.0, 1.0))));
	return true;
}
