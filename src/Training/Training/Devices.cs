using SweepCluster.Experiments;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

public static class Devices
{
    /// <summary>The torch device for a config's <c>device</c>; asking for CUDA where TorchSharp finds none is a config error, not a crash.</summary>
    public static Device Resolve(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => CPU,
        DeviceKind.Cuda when cuda.is_available() => CUDA,
        DeviceKind.Cuda => throw new ConfigException(
            "device",
            "'cuda' was requested but TorchSharp finds no CUDA device here (no GPU, no CUDA driver, or a TorchSharp-cpu build; see README, 'CUDA silos')"),
        _ => throw new ConfigException("device", $"'{kind}' is not a known device"),
    };
}
