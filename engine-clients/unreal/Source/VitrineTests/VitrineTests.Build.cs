using UnrealBuildTool;

public class VitrineTests : ModuleRules
{
	public VitrineTests(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		CppStandard = CppStandardVersion.Cpp17;

		PrivateDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "Vitrine", "VitrineCore" });
	}
}
