#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"

#include "VitrineSettings.generated.h"

/** Project Settings > Plugins > Vitrine; stored in DefaultGame.ini. */
UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "Vitrine"))
class VITRINE_API UVitrineSettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	/** host:port of the Vitrine server. */
	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	FString ServerAddress = TEXT("127.0.0.1:50051");

	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	bool bUseTls = false;

	/** A key with the `client` scope (created with `vitrine keys create`). */
	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	FString ApiKey;

	/** The budget of one recommendation call, retries included. */
	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (ClampMin = "0.1"))
	float CallTimeoutSeconds = 2.0f;

	/** Telemetry is sent at least this often while events are pending. */
	UPROPERTY(Config, EditAnywhere, Category = "Telemetry", meta = (ClampMin = "0.5"))
	float TelemetryFlushIntervalSeconds = 8.0f;

	/** A batch is sent as soon as this many events are pending (the server takes up to 1,000). */
	UPROPERTY(Config, EditAnywhere, Category = "Telemetry", meta = (ClampMin = "1", ClampMax = "1000"))
	int32 TelemetryMaxBatchEvents = 500;

	/** The offline queue's size on disk; when full the oldest batches are dropped. */
	UPROPERTY(Config, EditAnywhere, Category = "Telemetry", meta = (ClampMin = "1"))
	int32 TelemetryQueueMaxMegabytes = 32;

	virtual FName GetCategoryName() const override { return TEXT("Plugins"); }
};
