using UnrealBuildTool;

public class Vitrine : ModuleRules
{
	public Vitrine(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		CppStandard = CppStandardVersion.Cpp17;

		PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "DeveloperSettings" });
		// The core is reached only from Private/ through VitrineCoreIncludes.h, so games that use
		// the plugin never see gRPC's headers.
		PrivateDependencyModuleNames.Add("VitrineCore");
	}
}
