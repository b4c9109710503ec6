namespace SweepCluster.Deploy.Tests;

/// <summary>Paths in the repository, found by walking up from the test binaries to SweepCluster.sln.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    /// <summary>An absolute path for a repository-relative one written with forward slashes.</summary>
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>The repository-relative form of an absolute path, with forward slashes.</summary>
    public static string Relative(string absolute) =>
        Path.GetRelativePath(Root, absolute).Replace(Path.DirectorySeparatorChar, '/');

    public static bool Exists(string absolute) => File.Exists(absolute) || Directory.Exists(absolute);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no SweepCluster.sln above {AppContext.BaseDirectory}");
    }
}
