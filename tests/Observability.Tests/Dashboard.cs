using System.Text.Json.Nodes;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// A dashboard of <c>dashboards/</c> as Grafana reads its JSON model: panels (those a collapsed row holds
/// included), each panel's queries, and the template variables.
/// </summary>
public sealed class Dashboard
{
    public const string DatasourceVariable = "${datasource}";

    private Dashboard(string file, JsonObject json)
    {
        File = file;
        Json = json;
    }

    public static string Folder { get; } = Path.Combine(RepositoryFiles.Root, "dashboards");

    /// <summary>Every dashboard JSON shipped, by file name.</summary>
    public static IReadOnlyList<string> Files { get; } =
        Directory.GetFiles(Folder, "*.json").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList();

    public string File { get; }

    public JsonObject Json { get; }

    public string Uid => String(Json, "uid") ?? "";

    /// <summary>The top-level panels, rows included, in file order.</summary>
    public IReadOnlyList<JsonObject> TopLevel => Objects(Json["panels"]);

    /// <summary>Every panel that shows data: top-level ones and those inside rows; not the rows themselves.</summary>
    public IEnumerable<JsonObject> Panels =>
        TopLevel.SelectMany(panel => IsRow(panel) ? Objects(panel["panels"]) : [panel]);

    public IEnumerable<JsonObject> Rows => TopLevel.Where(IsRow);

    public IReadOnlyList<JsonObject> Variables => Objects(Json["templating"]?["list"]);

    public IEnumerable<DashboardQuery> Queries =>
        from panel in Panels
        from target in Objects(panel["targets"])
        select new DashboardQuery(File, Title(panel), String(target, "refId") ?? "?", String(target, "expr") ?? "");

    public static Dashboard Load(string file) =>
        new(file, JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, file)))?.AsObject()
            ?? throw new InvalidDataException($"{file} is empty"));

    public JsonObject Variable(string name) =>
        Variables.SingleOrDefault(v => String(v, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"{File} has no template variable '{name}' (it has {string.Join(", ", Variables.Select(v => String(v, "name")))})");

    /// <summary>A query variable's query: Grafana stores it as a string or as <c>{ "query": ... }</c>.</summary>
    public static string? VariableQuery(JsonObject variable) =>
        variable["query"] switch
        {
            JsonObject query => String(query, "query"),
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => null,
        };

    public static bool IsRow(JsonObject panel) => String(panel, "type") == "row";

    public static string Title(JsonObject panel) => String(panel, "title") ?? $"(panel {panel["id"]})";

    public static string? String(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool Flag(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static IReadOnlyList<JsonObject> Objects(JsonNode? array) =>
        array is JsonArray items ? items.OfType<JsonObject>().ToList() : [];

    public override string ToString() => File;
}
