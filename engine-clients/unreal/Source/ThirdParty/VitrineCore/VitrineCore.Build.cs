// The Vitrine C++ core (engine-clients/cpp) with gRPC, protobuf and abseil, prebuilt as static
// libraries per platform. README.md explains how to fill Prebuilt/<Platform>/{include,lib}.
using System.IO;
using UnrealBuildTool;

public class VitrineCore : ModuleRules
{
	public VitrineCore(ReadOnlyTargetRules Target) : base(Target)
	{
		Type = ModuleType.External;

		string PlatformRoot = Path.Combine(ModuleDirectory, "Prebuilt", Target.Platform.ToString());
		string IncludeDirectory = Path.Combine(PlatformRoot, "include");
		string LibraryDirectory = Path.Combine(PlatformRoot, "lib");
		if (!Directory.Exists(LibraryDirectory))
		{
			throw new BuildException(
				"Vitrine: no prebuilt core for {0} in {1}; see engine-clients/unreal/README.md",
				Target.Platform, PlatformRoot);
		}

		PublicSystemIncludePaths.Add(IncludeDirectory);

		bool bIsWindows = Target.Platform == UnrealTargetPlatform.Win64;
		string LibraryPattern = bIsWindows ? "*.lib" : "*.a";
		foreach (string Library in Directory.GetFiles(LibraryDirectory, LibraryPattern))
		{
			PublicAdditionalLibraries.Add(Library);
		}

		// Built as static libraries; these keep protobuf's and gRPC's headers from expecting DLLs.
		PublicDefinitions.Add("PROTOBUF_USE_DLLS=0");
		PublicDefinitions.Add("GPR_FORBID_UNREACHABLE_CODE=1");

		if (bIsWindows)
		{
			PublicSystemLibraries.AddRange(new string[] { "ws2_32.lib", "crypt32.lib", "iphlpapi.lib", "bcrypt.lib", "advapi32.lib" });
		}
		else if (Target.Platform == UnrealTargetPlatform.Linux || Target.Platform == UnrealTargetPlatform.Android)
		{
			PublicSystemLibraries.AddRange(new string[] { "pthread", "dl" });
		}
		else if (Target.Platform == UnrealTargetPlatform.Mac || Target.Platform == UnrealTargetPlatform.IOS)
		{
			PublicFrameworks.AddRange(new string[] { "CoreFoundation", "Security" });
		}
	}
}
