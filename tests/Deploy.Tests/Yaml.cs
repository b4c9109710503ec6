using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

/// <summary>Loads YAML files (all documents of a multi-document file) and walks their nodes.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> LoadAll(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: a document's root is a {d.RootNode.NodeType}, not a mapping"))];
    }

    public static YamlMappingNode Load(string path) => Assert.Single(LoadAll(path));

    /// <summary>The node at a path of keys, or null where a key is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] keys)
    {
        var current = node;
        foreach (var key in keys)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    public static YamlMappingNode Map(this YamlNode node, params string[] keys) =>
        node.At(keys) as YamlMappingNode ?? throw new KeyNotFoundException($"no mapping at {string.Join('.', keys)}");

    public static IReadOnlyList<YamlNode> Seq(this YamlNode node, params string[] keys) =>
        node.At(keys) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static string? Str(this YamlNode node, params string[] keys) => (node.At(keys) as YamlScalarNode)?.Value;

    /// <summary>A mapping's scalar entries as strings (nested values are left out).</summary>
    public static Dictionary<string, string> Scalars(this YamlMappingNode map) =>
        map.Children
            .Where(e => e.Value is YamlScalarNode)
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");

    public static IEnumerable<string> Keys(this YamlMappingNode map) => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);
}
