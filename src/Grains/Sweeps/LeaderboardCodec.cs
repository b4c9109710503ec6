using System.Text.Json;
using System.Text.Json.Serialization;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>A sweep's leaderboard rows as the registry stores them beside the sweep (<c>ISweepStore</c>'s leaders): JSON.</summary>
public static class LeaderboardCodec
{
    // A diverged configuration's loss is NaN.
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static byte[] Encode(IReadOnlyList<ConfigurationRow> leaders) => JsonSerializer.SerializeToUtf8Bytes(leaders, Options);

    public static IReadOnlyList<ConfigurationRow>? Decode(byte[]? bytes) =>
        bytes is null ? null : JsonSerializer.Deserialize<List<ConfigurationRow>>(bytes, Options);
}
