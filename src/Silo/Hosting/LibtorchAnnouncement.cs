using SweepCluster.Training.Backend;
using TorchSharp;

namespace SweepCluster.Silo.Hosting;

/// <summary>
/// Says once, at start, which libtorch the silo trains with and which CUDA devices it sees: on a machine with its own
/// PyTorch (<c>Silo:Libtorch</c>) the first question when a trial is slow or fails is which library and GPU it ran on.
/// </summary>
public sealed partial class LibtorchAnnouncement(LibtorchInUse libtorch, ILogger<LibtorchAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var origin = libtorch.Bundled ? "the build's own" : SiloOptions.LibtorchSetting;
        if (torch.cuda.is_available())
        {
            Cuda(logger, libtorch.Version, libtorch.Folder, origin, torch.cuda.device_count(), string.Join(", ", NvidiaGpus.Models()) is { Length: > 0 } models ? models : "models unknown");
        }
        else
        {
            NoCuda(logger, libtorch.Version, libtorch.Folder, origin);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "libtorch {Version} from {Folder} ({Origin}); CUDA: {Devices} device(s) ({Models})")]
    private static partial void Cuda(ILogger logger, string version, string folder, string origin, int devices, string models);

    [LoggerMessage(Level = LogLevel.Information, Message = "libtorch {Version} from {Folder} ({Origin}); CUDA: none (TorchSharp finds no CUDA device)")]
    private static partial void NoCuda(ILogger logger, string version, string folder, string origin);
}
