#include "VitrineBlueprintLibrary.h"

#include "VitrineCoreIncludes.h"

bool UVitrineBlueprintLibrary::IsViewable(
	float ScreenFraction, float VisibleFraction, float ViewAngleDeg, int64 ContinuousVisibleMs)
{
	return vitrine::IsViewable({ScreenFraction, VisibleFraction, ViewAngleDeg}, ContinuousVisibleMs);
}

bool UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode Code)
{
	return IsRetryableVitrineError(Code);
}
