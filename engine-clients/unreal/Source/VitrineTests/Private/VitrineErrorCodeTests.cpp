#include "Misc/AutomationTest.h"
#include "VitrineBlueprintLibrary.h"
#include "VitrineCoreIncludes.h"
#include "VitrineTypes.h"

#if WITH_DEV_AUTOMATION_TESTS

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FVitrineErrorCodesMirrorGrpcTest, "Vitrine.ErrorCodes.MirrorGrpc",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FVitrineErrorCodesMirrorGrpcTest::RunTest(const FString& Parameters)
{
	for (int32 Code = grpc::StatusCode::OK; Code <= grpc::StatusCode::UNAUTHENTICATED; ++Code)
	{
		TestEqual(FString::Printf(TEXT("code %d keeps its number"), Code),
			static_cast<int32>(VitrineErrorCodeFromStatusCode(Code)), Code);
	}
	TestEqual(TEXT("an unknown number is Unknown"), static_cast<int32>(VitrineErrorCodeFromStatusCode(99)),
		static_cast<int32>(EVitrineErrorCode::Unknown));
	TestEqual(TEXT("a negative number is Unknown"), static_cast<int32>(VitrineErrorCodeFromStatusCode(-1)),
		static_cast<int32>(EVitrineErrorCode::Unknown));
	return true;
}

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FVitrineRetryableErrorsTest, "Vitrine.ErrorCodes.Retryable",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FVitrineRetryableErrorsTest::RunTest(const FString& Parameters)
{
	TestTrue(TEXT("Unavailable"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::Unavailable));
	TestTrue(TEXT("ResourceExhausted"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::ResourceExhausted));
	TestTrue(TEXT("Aborted"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::Aborted));
	TestTrue(TEXT("DeadlineExceeded"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::DeadlineExceeded));
	TestFalse(TEXT("Unauthenticated"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::Unauthenticated));
	TestFalse(TEXT("InvalidArgument"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::InvalidArgument));
	TestFalse(TEXT("Ok"), UVitrineBlueprintLibrary::IsRetryableError(EVitrineErrorCode::Ok));
	return true;
}

#endif  // WITH_DEV_AUTOMATION_TESTS
