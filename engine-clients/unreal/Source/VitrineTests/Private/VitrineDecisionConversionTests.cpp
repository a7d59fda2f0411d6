#include "Misc/AutomationTest.h"
#include "VitrineCoreIncludes.h"

#if WITH_DEV_AUTOMATION_TESTS

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FVitrineDecisionConversionTest, "Vitrine.Decision.Conversion",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FVitrineDecisionConversionTest::RunTest(const FString& Parameters)
{
	vitrine::v1::Decision Source;
	Source.set_decision_id("d-1");
	Source.set_placement_id("plaza-billboard-north");
	vitrine::v1::RankedItem* Item = Source.add_items();
	Item->set_item_id("stridewell-1");
	Item->set_brand("Stridewell");
	Item->mutable_creative()->set_creative_id("stridewell-1-v1");
	Item->mutable_creative()->set_color("#FF6600");
	Item->set_probability(0.85);
	Item->set_explored(true);

	const FVitrineDecision Decision = VitrineConvert::ToDecision(Source);
	TestEqual(TEXT("decision id"), Decision.DecisionId, FString(TEXT("d-1")));
	TestEqual(TEXT("placement id"), Decision.PlacementId, FString(TEXT("plaza-billboard-north")));
	if (!TestEqual(TEXT("one item"), Decision.Items.Num(), 1))
	{
		return false;
	}
	TestEqual(TEXT("item id"), Decision.Items[0].ItemId, FString(TEXT("stridewell-1")));
	TestTrue(TEXT("has a creative"), Decision.Items[0].bHasCreative);
	TestEqual(TEXT("creative colour"), Decision.Items[0].Creative.Color, FString(TEXT("#FF6600")));
	TestEqual(TEXT("propensity"), Decision.Items[0].Probability, 0.85);
	TestTrue(TEXT("explored"), Decision.Items[0].bExplored);

	TestFalse(TEXT("an empty decision has no items"), VitrineConvert::ToDecision(vitrine::v1::Decision()).HasItems());
	return true;
}

#endif  // WITH_DEV_AUTOMATION_TESTS
