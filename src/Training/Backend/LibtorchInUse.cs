namespace SweepCluster.Training.Backend;

/// <summary>The libtorch TorchSharp runs on: its version, its folder, and whether the build brought it or the host named it.</summary>
public sealed record LibtorchInUse(string Version, string Folder, bool Bundled);
