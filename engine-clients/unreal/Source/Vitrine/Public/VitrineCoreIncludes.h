#pragma once

// The Vitrine C++ core (engine-clients/cpp) and, through it, gRPC and protobuf. Include this
// only from .cpp files: Unreal defines macros (check, verify, TEXT...) that collide with
// identifiers in these libraries, and their headers must not leak into game code.

#include "CoreMinimal.h"

#if PLATFORM_WINDOWS
#include "Windows/AllowWindowsPlatformTypes.h"
#include "Windows/PreWindowsApi.h"
#endif

THIRD_PARTY_INCLUDES_START
#pragma push_macro("check")
#pragma push_macro("verify")
#undef check
#undef verify

#include "vitrine/client.h"
#include "vitrine/event_factory.h"
#include "vitrine/viewability.h"

#pragma pop_macro("verify")
#pragma pop_macro("check")
THIRD_PARTY_INCLUDES_END

#if PLATFORM_WINDOWS
#include "Windows/PostWindowsApi.h"
#include "Windows/HideWindowsPlatformTypes.h"
#endif

#include "VitrineTypes.h"

namespace VitrineConvert
{
inline std::string ToUtf8(const FString& Text) { return std::string(TCHAR_TO_UTF8(*Text)); }
inline FString FromUtf8(const std::string& Text) { return FString(UTF8_TO_TCHAR(Text.c_str())); }

/** Converts a core decision to the Blueprint type; safe on any thread. */
VITRINE_API FVitrineDecision ToDecision(const vitrine::v1::Decision& Decision);
}  // namespace VitrineConvert
