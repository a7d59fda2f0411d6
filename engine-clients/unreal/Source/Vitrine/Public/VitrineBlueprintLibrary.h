#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintFunctionLibrary.h"
#include "VitrineTypes.h"

#include "VitrineBlueprintLibrary.generated.h"

UCLASS()
class VITRINE_API UVitrineBlueprintLibrary : public UBlueprintFunctionLibrary
{
	GENERATED_BODY()

public:
	/** The IAB/MRC intrinsic in-game rule: at least 1.5 % of the screen, at least 50 % of the
	 *  ad visible, view angle under 55 degrees, for at least 1 continuous second. */
	UFUNCTION(BlueprintPure, Category = "Vitrine")
	static bool IsViewable(float ScreenFraction, float VisibleFraction, float ViewAngleDeg, int64 ContinuousVisibleMs);

	/** Whether a failed call may succeed if tried again later. */
	UFUNCTION(BlueprintPure, Category = "Vitrine")
	static bool IsRetryableError(EVitrineErrorCode Code);
};
