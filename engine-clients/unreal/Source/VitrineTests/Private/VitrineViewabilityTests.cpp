#include "Misc/AutomationTest.h"
#include "VitrineBlueprintLibrary.h"
#include "VitrineCoreIncludes.h"

#if WITH_DEV_AUTOMATION_TESTS

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FVitrineViewabilityRuleTest, "Vitrine.Viewability.Rule",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FVitrineViewabilityRuleTest::RunTest(const FString& Parameters)
{
	TestTrue(TEXT("meets every threshold"), UVitrineBlueprintLibrary::IsViewable(0.05f, 0.8f, 30.0f, 1000));
	TestFalse(TEXT("too small on screen"), UVitrineBlueprintLibrary::IsViewable(0.01f, 0.8f, 30.0f, 1000));
	TestFalse(TEXT("mostly hidden"), UVitrineBlueprintLibrary::IsViewable(0.05f, 0.4f, 30.0f, 1000));
	TestFalse(TEXT("55 degrees is too oblique"), UVitrineBlueprintLibrary::IsViewable(0.05f, 0.8f, 55.0f, 1000));
	TestFalse(TEXT("under a second"), UVitrineBlueprintLibrary::IsViewable(0.05f, 0.8f, 30.0f, 999));
	return true;
}

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FVitrineViewabilityTrackerTest, "Vitrine.Viewability.Tracker",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FVitrineViewabilityTrackerTest::RunTest(const FString& Parameters)
{
	vitrine::ViewabilityTracker Tracker;
	int32 TimesBecameViewable = 0;
	for (int32 Frame = 0; Frame < 90; ++Frame)
	{
		TimesBecameViewable += Tracker.Update({0.05, 0.8, 30.0}, 1000.0 / 60.0) ? 1 : 0;
	}
	TestEqual(TEXT("becomes viewable exactly once"), TimesBecameViewable, 1);
	const vitrine::ExposureSummary Summary = Tracker.Summary();
	TestTrue(TEXT("the summary is viewable"), Summary.viewable);
	// 90 frames of 1/60 s add up to 1500 ms give or take rounding.
	TestTrue(TEXT("continuous time"), FMath::Abs(static_cast<int64>(Summary.continuous_visible_ms) - 1500) <= 1);
	return true;
}

#endif  // WITH_DEV_AUTOMATION_TESTS
