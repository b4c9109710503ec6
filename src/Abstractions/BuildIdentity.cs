using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace SweepCluster.Abstractions;

/// <summary>
/// Identifies a build of SweepCluster's own assemblies in a directory (their module version ids, hashed),
/// so a client can tell that a running local silo was started from binaries that have since been rebuilt.
/// </summary>
public static class BuildIdentity
{
    public static string Of(string directory)
    {
        var ids = Directory.GetFiles(directory, "SweepCluster.*.dll").Order(StringComparer.Ordinal).Select(path =>
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            var metadata = reader.GetMetadataReader();
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString();
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ids))))[..16];
    }
}
