using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Specs;

/// <summary>A validated spec and its resolved YAML (overrides applied), which is copied into the results directory.</summary>
public sealed record ParsedSpec(SweepSpec Spec, string ResolvedYaml)
{
    /// <summary>The sweep's id: its name plus a hash of everything in it, so submitting the same spec again re-attaches.</summary>
    public string SweepId
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Spec)));
            return $"{Spec.Name}-{Convert.ToHexStringLower(hash)[..8]}";
        }
    }
}
