using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vitrine.Client.Tests.Unit;

/// <summary>Checks what Unity needs from the package that no C# compiler here would notice.</summary>
public class UnityPackageLayoutTests
{
    private static readonly string PackageRoot = Path.Combine(RepoPaths.Root, "engine-clients", "unity");

    [Fact]
    public void Every_file_and_folder_has_a_meta_and_every_meta_an_asset()
    {
        List<string> assets = UnityVisibleEntries().ToList();
        string[] missing = assets.Where(path => !File.Exists(path + ".meta")).Select(Relative).ToArray();
        string[] orphans = Directory.EnumerateFiles(PackageRoot, "*.meta", SearchOption.AllDirectories)
            .Where(meta => !IsHiddenFromUnity(meta))
            .Where(meta => !assets.Contains(meta[..^".meta".Length]))
            .Select(Relative)
            .ToArray();

        Assert.True(missing.Length == 0, "no .meta for: " + string.Join(", ", missing));
        Assert.True(orphans.Length == 0, ".meta without an asset: " + string.Join(", ", orphans));
    }

    [Fact]
    public void Meta_guids_are_unique()
    {
        var guid = new Regex("^guid: ([0-9a-f]{32})$", RegexOptions.Multiline);
        var duplicates = UnityVisibleEntries()
            .Select(path => guid.Match(File.ReadAllText(path + ".meta")).Groups[1].Value)
            .GroupBy(value => value)
            .Where(group => group.Key.Length != 32 || group.Count() > 1)
            .Select(group => group.Key)
            .ToArray();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void The_manifest_and_assembly_definitions_are_what_unity_expects()
    {
        using JsonDocument manifest = ReadJson("package.json");
        using JsonDocument runtime = ReadJson("Runtime/Vitrine.Runtime.asmdef");
        using JsonDocument editor = ReadJson("Editor/Vitrine.Editor.asmdef");

        Assert.Equal("com.vitrine.client", manifest.RootElement.GetProperty("name").GetString());
        Assert.Equal("Vitrine.Runtime", runtime.RootElement.GetProperty("name").GetString());
        Assert.Equal(new[] { "Editor" }, editor.RootElement.GetProperty("includePlatforms").EnumerateArray().Select(p => p.GetString()));
        Assert.True(File.Exists(Path.Combine(PackageRoot, "Tests", "Runtime", "Vitrine.Runtime.Tests.asmdef")));
        Assert.True(File.Exists(Path.Combine(PackageRoot, "Tests", "Editor", "Vitrine.Editor.Tests.asmdef")));
    }

    [Fact]
    public void The_shared_core_does_not_depend_on_the_engine()
    {
        string[] engineBound = Directory.EnumerateFiles(Path.Combine(PackageRoot, "Runtime", "Core"), "*.cs", SearchOption.AllDirectories)
            .Where(path => File.ReadAllText(path).Contains("using UnityEngine", StringComparison.Ordinal))
            .Select(Relative)
            .ToArray();

        Assert.Empty(engineBound);
    }

    private static IEnumerable<string> UnityVisibleEntries()
    {
        return Directory.EnumerateFileSystemEntries(PackageRoot, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(".meta", StringComparison.Ordinal) && !IsHiddenFromUnity(path));
    }

    // Unity skips names ending in '~' or starting with '.', and everything under them.
    private static bool IsHiddenFromUnity(string path)
    {
        return Relative(path).Split(Path.DirectorySeparatorChar)
            .Any(part => part.EndsWith('~') || part.StartsWith('.'));
    }

    private static string Relative(string path) => Path.GetRelativePath(PackageRoot, path);

    private static JsonDocument ReadJson(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(PackageRoot, relativePath)));
}
