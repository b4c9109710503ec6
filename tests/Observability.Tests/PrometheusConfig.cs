using YamlDotNet.RepresentationModel;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// The shipped <c>deploy/prometheus/prometheus-local.yml</c>, rewritten for silos on loopback: the
/// <c>sweepcluster</c> job scrapes the given ports, and everything happens every <c>interval</c>.
/// </summary>
public static class PrometheusConfig
{
    public const string Job = "sweepcluster";

    public static string ForLocalSilos(string shippedFile, IEnumerable<int> metricsPorts, string interval)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(shippedFile))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var global = (YamlMappingNode)root.Children[new YamlScalarNode("global")];
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(interval);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(interval);

        var job = ((YamlSequenceNode)root.Children[new YamlScalarNode("scrape_configs")])
            .OfType<YamlMappingNode>()
            .SingleOrDefault(c => c.Children.TryGetValue(new YamlScalarNode("job_name"), out var name) && name.ToString() == Job)
            ?? throw new InvalidDataException($"{shippedFile} has no scrape config with job_name: {Job}");
        if (!job.Children.ContainsKey(new YamlScalarNode("static_configs")))
        {
            throw new InvalidDataException($"{shippedFile}: the {Job} job lists no static_configs to rewrite");
        }

        var targets = new YamlSequenceNode(metricsPorts.Select(port => new YamlScalarNode($"127.0.0.1:{port}")));
        job.Children[new YamlScalarNode("static_configs")] =
            new YamlSequenceNode(new YamlMappingNode(new YamlScalarNode("targets"), targets));

        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
