using System.Text.RegularExpressions;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// A Dockerfile read the way the builder reads it, as far as these tests need: comments dropped, continuation
/// lines joined, the global ARGs before the first FROM, and the stages.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    /// <summary>ARGs declared before the first FROM, with their defaults ("" where none).</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage a plain <c>docker build</c> produces: the last one.</summary>
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        string? currentBase = null, currentName = null;

        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                if (current is not null)
                {
                    stages.Add(new DockerStage(currentBase!, currentName, current));
                }

                var words = instruction.Words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                currentBase = words[0];
                currentName = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                current = [];
            }
            else if (current is null)
            {
                Assert.True(instruction.Keyword == "ARG", $"only ARG may come before the first FROM, not {instruction.Keyword}");
                var (name, value) = SplitArg(instruction.Arguments);
                globalArgs[name] = value;
            }
            else
            {
                current.Add(instruction);
            }
        }

        if (current is not null)
        {
            stages.Add(new DockerStage(currentBase!, currentName, current));
        }

        return new Dockerfile(globalArgs, stages);
    }

    public DockerStage? Stage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The image a stage finally runs on: its FROM with the build args substituted (a build arg's value, else
    /// the global ARG's default), followed through other stages.
    /// </summary>
    public string BaseImageOf(DockerStage stage, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var seen = new HashSet<DockerStage>();
        while (seen.Add(stage))
        {
            var reference = Substitute(stage.Base, buildArgs);
            if (Stage(reference) is not { } parent)
            {
                return reference;
            }

            stage = parent;
        }

        throw new InvalidOperationException($"stage {stage.Name} is its own ancestor");
    }

    public string Substitute(string value, IReadOnlyDictionary<string, string>? buildArgs = null) =>
        VariablePattern().Replace(value, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            if (buildArgs is not null && buildArgs.TryGetValue(name, out var given))
            {
                return given;
            }

            return GlobalArgs.TryGetValue(name, out var fallback)
                ? fallback
                : throw new KeyNotFoundException($"'{value}' uses ${name}, which no global ARG declares");
        });

    private static (string Name, string Value) SplitArg(string arguments)
    {
        var equals = arguments.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arguments.Trim(), "") : (arguments[..equals].Trim(), arguments[(equals + 1)..].Trim());
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var logical = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.TrimStart().StartsWith('#') || (line.Length == 0 && logical.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            if (logical.Trim().Length > 0)
            {
                var trimmed = logical.Trim();
                var space = trimmed.IndexOfAny([' ', '\t']);
                yield return space < 0
                    ? new DockerInstruction(trimmed.ToUpperInvariant(), "")
                    : new DockerInstruction(trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].Trim());
            }

            logical = "";
        }

        Assert.True(logical.Length == 0, "the Dockerfile ends inside a continuation line");
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();
}
