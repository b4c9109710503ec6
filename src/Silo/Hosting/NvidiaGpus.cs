using System.Text.RegularExpressions;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// The models of this machine's NVIDIA GPUs, as the driver lists them (<c>/proc/driver/nvidia/gpus/*/information</c>,
/// "Model: NVIDIA H200"). TorchSharp counts CUDA devices but does not name them.
/// </summary>
internal static partial class NvidiaGpus
{
    public static IReadOnlyList<string> Models(string driverDirectory = "/proc/driver/nvidia/gpus") =>
        Directory.Exists(driverDirectory)
            ? [.. Directory.GetDirectories(driverDirectory).Order()
                .Select(gpu => Path.Combine(gpu, "information"))
                .Where(File.Exists)
                .Select(information => ModelLine().Match(File.ReadAllText(information)))
                .Where(match => match.Success)
                .Select(match => match.Groups[1].Value.Trim())]
            : [];

    [GeneratedRegex(@"^Model:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ModelLine();
}
