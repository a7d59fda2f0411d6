namespace Vitrine.Client.Tests;

/// <summary>Where the repository is, found by walking up from the test binaries to the protos.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "proto", "vitrine", "v1")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory);
    }
}
