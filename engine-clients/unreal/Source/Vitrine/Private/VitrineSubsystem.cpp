#include "VitrineSubsystem.h"

#include "Async/Async.h"
#include "HAL/PlatformTime.h"
#include "Internationalization/Culture.h"
#include "Internationalization/Internationalization.h"
#include "Misc/CoreDelegates.h"
#include "Misc/Paths.h"
#include "VitrineCoreIncludes.h"
#include "VitrineSettings.h"

DEFINE_LOG_CATEGORY_STATIC(LogVitrine, Log, All);

namespace
{
vitrine::v1::Vector3 ToVector3(const FVector& Position)
{
	vitrine::v1::Vector3 Result;
	Result.set_x(Position.X);
	Result.set_y(Position.Y);
	Result.set_z(Position.Z);
	return Result;
}

vitrine::v1::Platform CurrentPlatform()
{
#if PLATFORM_WINDOWS
	return vitrine::v1::PLATFORM_WINDOWS;
#elif PLATFORM_MAC
	return vitrine::v1::PLATFORM_MACOS;
#elif PLATFORM_LINUX
	return vitrine::v1::PLATFORM_LINUX;
#elif PLATFORM_IOS
	return vitrine::v1::PLATFORM_IOS;
#elif PLATFORM_ANDROID
	return vitrine::v1::PLATFORM_ANDROID;
#else
	return vitrine::v1::PLATFORM_UNSPECIFIED;
#endif
}
}  // namespace

// Defined here, where vitrine::Client is complete, for the TUniquePtr members.
UVitrineSubsystem::UVitrineSubsystem() = default;
UVitrineSubsystem::~UVitrineSubsystem() = default;

void UVitrineSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
	Super::Initialize(Collection);
	const UVitrineSettings* Settings = GetDefault<UVitrineSettings>();

	vitrine::ClientOptions Options;
	Options.address = VitrineConvert::ToUtf8(Settings->ServerAddress);
	Options.api_key = VitrineConvert::ToUtf8(Settings->ApiKey);
	Options.use_tls = Settings->bUseTls;
	Options.call_timeout = std::chrono::milliseconds(FMath::RoundToInt(Settings->CallTimeoutSeconds * 1000.0f));
	Options.telemetry.queue_directory =
		VitrineConvert::ToUtf8(FPaths::ConvertRelativePathToFull(FPaths::ProjectSavedDir() / TEXT("Vitrine") / TEXT("TelemetryQueue")));
	Options.telemetry.flush_interval =
		std::chrono::milliseconds(FMath::RoundToInt(Settings->TelemetryFlushIntervalSeconds * 1000.0f));
	Options.telemetry.max_batch_events = static_cast<size_t>(FMath::Clamp(Settings->TelemetryMaxBatchEvents, 1, 1000));
	Options.telemetry.queue_limits.max_bytes = static_cast<uint64_t>(Settings->TelemetryQueueMaxMegabytes) * 1024 * 1024;
	Options.telemetry.on_send_failure = [](const grpc::Status& Status, bool bWillRetry)
	{
		UE_LOG(LogVitrine, Warning, TEXT("Telemetry send failed (%d %s)%s"), static_cast<int32>(Status.error_code()),
			*VitrineConvert::FromUtf8(Status.error_message()), bWillRetry ? TEXT("; will retry") : TEXT("; paused"));
	};
	Client = MakeUnique<vitrine::Client>(MoveTemp(Options));

	// Mobile games may be killed in the background: get the batches to disk and on their way.
	EnterBackgroundHandle =
		FCoreDelegates::ApplicationWillEnterBackgroundDelegate.AddUObject(this, &UVitrineSubsystem::HandleEnterBackground);
}

void UVitrineSubsystem::Deinitialize()
{
	FCoreDelegates::ApplicationWillEnterBackgroundDelegate.Remove(EnterBackgroundHandle);
	EndSession();
	// Persists pending telemetry; the next launch sends it.
	Client.Reset();
	Super::Deinitialize();
}

void UVitrineSubsystem::HandleEnterBackground()
{
	FlushTelemetry();
}

void UVitrineSubsystem::StartSession(const FString& PlayerId, bool bPersonalizationConsent)
{
	EndSession();
	Events = MakeUnique<vitrine::EventFactory>(
		VitrineConvert::ToUtf8(PlayerId), vitrine::NewSessionId(), VitrineConvert::ToUtf8(SceneId));
	SessionStartSeconds = FPlatformTime::Seconds();

	vitrine::v1::SessionStarted Started;
	Started.set_platform(CurrentPlatform());
	Started.set_locale(VitrineConvert::ToUtf8(FInternationalization::Get().GetCurrentCulture()->GetName()).substr(0, 16));
	Started.set_personalization_consent(bPersonalizationConsent);
	Enqueue(Events->SessionStarted(Started));
}

void UVitrineSubsystem::EndSession()
{
	if (!Events)
	{
		return;
	}
	const int64 DurationMs = static_cast<int64>((FPlatformTime::Seconds() - SessionStartSeconds) * 1000.0);
	Enqueue(Events->SessionEnded(DurationMs));
	Events.Reset();
	ZoneEnteredSeconds.Reset();
	FlushTelemetry();
}

void UVitrineSubsystem::SetScene(const FString& NewSceneId)
{
	SceneId = NewSceneId;
	if (Events)
	{
		Events->SetSceneId(VitrineConvert::ToUtf8(SceneId));
	}
}

void UVitrineSubsystem::EnterZone(const FString& ZoneId, FVector Position)
{
	if (!Events)
	{
		return;
	}
	ZoneEnteredSeconds.Add(ZoneId, FPlatformTime::Seconds());
	Enqueue(Events->ZoneEntered(VitrineConvert::ToUtf8(ZoneId), ToVector3(Position)));
}

void UVitrineSubsystem::ExitZone(const FString& ZoneId, FVector Position)
{
	if (!Events)
	{
		return;
	}
	double EnteredSeconds = FPlatformTime::Seconds();
	ZoneEnteredSeconds.RemoveAndCopyValue(ZoneId, EnteredSeconds);
	const int64 DwellMs = static_cast<int64>((FPlatformTime::Seconds() - EnteredSeconds) * 1000.0);
	Enqueue(Events->ZoneExited(VitrineConvert::ToUtf8(ZoneId), DwellMs, ToVector3(Position)));
}

void UVitrineSubsystem::TrackCustomEvent(const FString& Name, const TMap<FString, FString>& Properties)
{
	if (!Events)
	{
		return;
	}
	vitrine::v1::CustomEvent Custom;
	Custom.set_name(VitrineConvert::ToUtf8(Name));
	for (const TPair<FString, FString>& Property : Properties)
	{
		(*Custom.mutable_properties())[VitrineConvert::ToUtf8(Property.Key)].set_string_value(
			VitrineConvert::ToUtf8(Property.Value));
	}
	Enqueue(Events->Custom(Custom));
}

void UVitrineSubsystem::ReportExposure(const FVitrineExposure& Exposure)
{
	if (!Events)
	{
		return;
	}
	vitrine::v1::PlacementExposure Message;
	Message.set_placement_id(VitrineConvert::ToUtf8(Exposure.PlacementId));
	Message.set_decision_id(VitrineConvert::ToUtf8(Exposure.DecisionId));
	Message.set_item_id(VitrineConvert::ToUtf8(Exposure.ItemId));
	Message.set_creative_id(VitrineConvert::ToUtf8(Exposure.CreativeId));
	Message.set_screen_fraction(Exposure.ScreenFraction);
	Message.set_visible_fraction(Exposure.VisibleFraction);
	Message.set_view_angle_deg(Exposure.ViewAngleDeg);
	Message.set_continuous_visible_ms(Exposure.ContinuousVisibleMs);
	Message.set_total_visible_ms(Exposure.TotalVisibleMs);
	Enqueue(Events->Exposure(Message));
}

void UVitrineSubsystem::ReportInteraction(const FString& PlacementId, const FString& DecisionId,
	const FString& ItemId, const FString& CreativeId, EVitrineInteractionKind Kind, float DurationSeconds)
{
	if (!Events)
	{
		return;
	}
	vitrine::v1::Interaction Message;
	Message.set_placement_id(VitrineConvert::ToUtf8(PlacementId));
	Message.set_decision_id(VitrineConvert::ToUtf8(DecisionId));
	Message.set_item_id(VitrineConvert::ToUtf8(ItemId));
	Message.set_creative_id(VitrineConvert::ToUtf8(CreativeId));
	Message.set_kind(static_cast<vitrine::v1::InteractionKind>(Kind));
	Message.set_duration_ms(static_cast<int64>(DurationSeconds * 1000.0f));
	Enqueue(Events->Interaction(Message));
}

void UVitrineSubsystem::ReportConversion(const FString& PlacementId, const FString& DecisionId,
	const FString& ItemId, EVitrineConversionKind Kind, float Value, const FString& Currency)
{
	if (!Events)
	{
		return;
	}
	vitrine::v1::Conversion Message;
	Message.set_placement_id(VitrineConvert::ToUtf8(PlacementId));
	Message.set_decision_id(VitrineConvert::ToUtf8(DecisionId));
	Message.set_item_id(VitrineConvert::ToUtf8(ItemId));
	Message.set_kind(static_cast<vitrine::v1::ConversionKind>(Kind));
	Message.set_value(Value);
	Message.set_currency(VitrineConvert::ToUtf8(Currency));
	Enqueue(Events->Conversion(Message));
}

void UVitrineSubsystem::RewardDecision(const FString& DecisionId, float Value)
{
	if (!Client)
	{
		return;
	}
	vitrine::v1::RewardRequest Request;
	Request.set_decision_id(VitrineConvert::ToUtf8(DecisionId));
	Request.set_value(Value);
	Client->RewardAsync(MoveTemp(Request),
		[DecisionId](vitrine::RewardResult Result)
		{
			if (!Result.ok())
			{
				UE_LOG(LogVitrine, Warning, TEXT("Reward for %s failed (%d)"), *DecisionId,
					static_cast<int32>(Result.status.error_code()));
			}
		});
}

void UVitrineSubsystem::FlushTelemetry()
{
	if (Client)
	{
		Client->Telemetry().Flush();
	}
}

FVitrineTelemetryStats UVitrineSubsystem::GetTelemetryStats() const
{
	FVitrineTelemetryStats Result;
	if (!Client)
	{
		return Result;
	}
	const vitrine::TelemetryStats Stats = Client->Telemetry().Stats();
	Result.EventsEnqueued = static_cast<int64>(Stats.events_enqueued);
	Result.EventsAccepted = static_cast<int64>(Stats.events_accepted);
	Result.EventsDuplicate = static_cast<int64>(Stats.events_duplicate);
	Result.EventsRejected = static_cast<int64>(Stats.events_rejected);
	Result.BatchesDropped = static_cast<int64>(Stats.batches_dropped);
	Result.BatchesQueued = static_cast<int64>(Stats.queued_batches);
	Result.LastFailure = VitrineErrorCodeFromStatusCode(static_cast<int32>(Stats.last_failure_code));
	Result.bPaused = Stats.paused;
	return Result;
}

bool UVitrineSubsystem::IsSessionActive() const
{
	return Events.IsValid();
}

void UVitrineSubsystem::RequestDecision(const FString& PlacementId, FVitrineDecisionCallback OnDone)
{
	if (!Client || !Events)
	{
		OnDone(EVitrineErrorCode::FailedPrecondition, TEXT("start a Vitrine session before requesting content"), {});
		return;
	}
	vitrine::v1::RecommendRequest Request;
	Request.set_placement_id(VitrineConvert::ToUtf8(PlacementId));
	Request.set_player_id(Events->player_id());
	Request.set_session_id(Events->session_id());
	Request.mutable_context()->set_platform(CurrentPlatform());

	// The core calls back on its worker thread; the result is converted there and handed to
	// the game thread, where the subsystem may already be gone.
	TWeakObjectPtr<UVitrineSubsystem> WeakThis(this);
	Client->RecommendAsync(MoveTemp(Request),
		[WeakThis, OnDone = MoveTemp(OnDone)](vitrine::RecommendResult Result) mutable
		{
			const EVitrineErrorCode Code = VitrineErrorCodeFromStatusCode(static_cast<int32>(Result.status.error_code()));
			FString Message = VitrineConvert::FromUtf8(Result.status.error_message());
			FVitrineDecision Decision = Result.ok() ? VitrineConvert::ToDecision(Result.response.decision()) : FVitrineDecision();
			AsyncTask(ENamedThreads::GameThread,
				[WeakThis, OnDone = MoveTemp(OnDone), Code, Message = MoveTemp(Message), Decision = MoveTemp(Decision)]()
				{
					if (WeakThis.IsValid())
					{
						OnDone(Code, Message, Decision);
					}
				});
		});
}

void UVitrineSubsystem::Enqueue(vitrine::v1::Event&& Event)
{
	if (Client)
	{
		Client->Telemetry().Enqueue(MoveTemp(Event));
	}
}
