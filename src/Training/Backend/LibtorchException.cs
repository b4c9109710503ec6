namespace SweepCluster.Training.Backend;

/// <summary>The libtorch named for TorchSharp cannot be used; the message says what was found and what is missing.</summary>
public sealed class LibtorchException(string message) : Exception(message);
