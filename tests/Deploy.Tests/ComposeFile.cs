using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// deploy/docker-compose.yml (or another compose file there, such as the TLS override), with relative paths resolved
/// the way Compose resolves them (from deploy/).
/// </summary>
internal sealed class ComposeFile(string? path = null)
{
    public static readonly string FilePath = Path.Combine(Repo.Deploy, "docker-compose.yml");

    public static readonly string TlsFilePath = Path.Combine(Repo.Deploy, "docker-compose.tls.yml");

    private readonly YamlMappingNode _root = Yaml.Load(path ?? FilePath);

    public IReadOnlyList<string> ServiceNames => [.. _root.Map("services").Keys()];

    public YamlMappingNode Service(string name) => _root.Map("services", name);

    /// <summary>A service's environment, whichever form (mapping or KEY=VALUE list) it is written in.</summary>
    public Dictionary<string, string> Environment(string service)
    {
        var node = Service(service).At("environment");
        if (node is YamlMappingNode map)
        {
            return map.Scalars();
        }

        return Service(service).Seq("environment")
            .Select(n => ((YamlScalarNode)n).Value!.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
    }

    /// <summary>A service's volumes as (source, target); Source is an absolute path for bind mounts, else the volume name.</summary>
    public IReadOnlyList<(string Source, string Target, bool IsBind)> Volumes(string service) =>
        [.. Service(service).Seq("volumes").Select(n =>
        {
            var parts = ((YamlScalarNode)n).Value!.Split(':');
            var isBind = parts[0].StartsWith('.') || parts[0].StartsWith('/');
            var source = isBind ? ResolvePath(parts[0]) : parts[0];
            return (source, parts[1], isBind);
        })];

    /// <summary>The bind-mount source (absolute) for a target path inside a service's container.</summary>
    public string BindSourceFor(string service, string target) =>
        Volumes(service).Single(v => v.IsBind && v.Target == target).Source;

    public static string ResolvePath(string relative) => Path.GetFullPath(Path.Combine(Repo.Deploy, relative));
}
