using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

/// <summary>Every Kubernetes object in deploy/k8s (the kustomization itself aside), with the file it is in.</summary>
internal static class KubernetesManifests
{
    public static readonly string Folder = Path.Combine(Repo.Deploy, "k8s");

    public static IReadOnlyList<(string File, YamlMappingNode Object)> All { get; } =
        [.. Directory.EnumerateFiles(Folder, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Yaml.LoadAll(f).Select(o => (Path.GetFileName(f), o)))];

    public static IEnumerable<YamlMappingNode> OfKind(string kind) => All.Where(o => o.Object.Str("kind") == kind).Select(o => o.Object);

    public static YamlMappingNode Deployment(string name) =>
        Assert.Single(OfKind("Deployment"), d => d.Str("metadata", "name") == name);

    public static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)Assert.Single(deployment.Seq("spec", "template", "spec", "containers"));

    /// <summary>A container's env entries by name.</summary>
    public static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        container.Seq("env").Cast<YamlMappingNode>().ToDictionary(e => e.Str("name")!);

    /// <summary>A container's ports by name.</summary>
    public static Dictionary<string, int> Ports(YamlMappingNode container) =>
        container.Seq("ports").ToDictionary(p => p.Str("name")!, p => int.Parse(p.Str("containerPort")!));

    /// <summary>A port written as a number or as the name of one of the container's ports.</summary>
    public static int ResolvePort(YamlMappingNode container, string port) =>
        int.TryParse(port, out var number) ? number : Ports(container)[port];

    public static Dictionary<string, string> PodLabels(YamlMappingNode deployment) =>
        deployment.Map("spec", "template", "metadata", "labels").Scalars();
}
