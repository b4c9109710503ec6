namespace SweepCluster.Cluster.Harness;

/// <summary>The built silo and client beside this assembly's build (same configuration and framework).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string SiloDll => Built("Silo", "SweepCluster.Silo.dll");

    public static string ClientDll => Built("Client", "SweepCluster.Client.dll");

    private static string Built(string project, string assembly)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (here.Name, here.Parent!.Name);
        var path = Path.Combine(Root, "src", project, "bin", configuration, framework, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assembly} is not built at {path}");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("SweepCluster.sln not found above " + AppContext.BaseDirectory);
    }
}
