namespace SweepCluster.Deploy.Tests;

/// <summary>One Dockerfile instruction, continuation lines joined: <c>COPY --from=x /a /b</c> is ("COPY", "--from=x /a /b").</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The arguments split on whitespace (enough for the instructions these tests read).</summary>
    public IReadOnlyList<string> Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
