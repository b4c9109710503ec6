namespace SweepCluster.Deploy.Tests;

/// <summary>A build stage: <c>FROM Base AS Name</c> and the instructions after it.</summary>
internal sealed record DockerStage(string Base, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ENV values this stage sets (later ones win).</summary>
    public Dictionary<string, string> Env()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instruction in All("ENV"))
        {
            var words = instruction.Words;
            if (words.Count == 2 && !words[0].Contains('='))
            {
                env[words[0]] = words[1];
                continue;
            }

            foreach (var word in words)
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"ENV {instruction.Arguments}: '{word}' is not KEY=VALUE");
                env[word[..equals]] = word[(equals + 1)..].Trim('"');
            }
        }

        return env;
    }

    /// <summary>Each COPY as (--from stage or null, sources, destination).</summary>
    public IEnumerable<(string? From, IReadOnlyList<string> Sources, string Destination)> Copies()
    {
        foreach (var instruction in All("COPY").Concat(All("ADD")))
        {
            var words = instruction.Words;
            var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            Assert.True(paths.Count >= 2, $"COPY {instruction.Arguments}: needs a source and a destination");
            yield return (from, paths[..^1], paths[^1]);
        }
    }
}
