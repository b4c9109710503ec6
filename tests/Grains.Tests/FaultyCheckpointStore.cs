using System.Collections.Concurrent;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A real directory store that a test can make fail or hold for chosen trials: a store that throws stands for a
/// shared store that is down, a held read for a slot thread caught between two steps while something else happens.
/// </summary>
public sealed class FaultyCheckpointStore(string directory) : ICheckpointStore
{
    private readonly DirectoryCheckpointStore _inner = new(directory);
    private readonly ConcurrentDictionary<string, string> _failing = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();

    /// <summary>Set when a held read has begun (the slot thread is now waiting on <see cref="Release"/>).</summary>
    public TaskCompletionSource ReadHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Reads of <paramref name="trialKey"/> throw an <see cref="IOException"/> with <paramref name="message"/>.</summary>
    public void Fail(string trialKey, string message) => _failing[trialKey] = message;

    /// <summary>Reads of <paramref name="trialKeys"/> wait until <see cref="Release"/>.</summary>
    public void Hold(params string[] trialKeys)
    {
        ReadHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var key in trialKeys)
        {
            _held[key] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        foreach (var key in _held.Keys)
        {
            if (_held.TryRemove(key, out var gate))
            {
                gate.TrySetResult();
            }
        }
    }

    public Stream? OpenRead(string trialKey)
    {
        if (_failing.TryGetValue(trialKey, out var message))
        {
            throw new IOException(message);
        }

        if (_held.TryGetValue(trialKey, out var gate))
        {
            ReadHeld.TrySetResult();
            gate.Task.Wait(TimeSpan.FromSeconds(60));
        }

        return _inner.OpenRead(trialKey);
    }

    public void Write(string trialKey, Action<Stream> write) => _inner.Write(trialKey, write);

    public void Delete(string trialKey) => _inner.Delete(trialKey);
}
