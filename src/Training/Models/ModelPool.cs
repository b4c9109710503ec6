using System.Runtime.CompilerServices;
using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Models;

/// <summary>
/// Trial models kept after their trial for the next trial of the same shape. TorchSharp 0.107 never frees part of a
/// module's native side, disposed or not (<c>THSNN_custom_module</c> keeps a <c>shared_ptr</c> it never deletes): about
/// 1.3 KB for each model built, so a silo that built a model or two per trial held ~300 MB more after 100,000 trials.
/// A model taken from here has every weight drawn afresh from the trial's seed (<see cref="ModelFactory.Initialise"/>),
/// exactly as a new one, so reuse changes no result. Idle models are bounded by count and by parameter bytes; the
/// longest idle go first. Thread-safe; a rented model belongs to its renter alone until it is returned.
/// </summary>
public static class ModelPool
{
    public const int MaxIdleModels = 32;

    public const long MaxIdleBytes = 64L << 20;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<(string Key, long Bytes, SequenceModel Model)> Idle = []; // most recently returned first
    private static readonly ConditionalWeakTable<SequenceModel, Tag> Rented = [];
    private static long _idleBytes;

    /// <summary>Idle models now (for tests and diagnostics).</summary>
    public static int IdleCount
    {
        get
        {
            lock (Gate)
            {
                return Idle.Count;
            }
        }
    }

    /// <summary>The model for <paramref name="config"/>, initialised from its seed: an idle one of its shape, else a new one.</summary>
    public static SequenceModel Rent(TrialConfig config, ILearningTask task, Device device)
    {
        var key = Key(config, task, device);
        SequenceModel? model = null;
        long bytes = 0;
        lock (Gate)
        {
            for (var node = Idle.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    (_, bytes, model) = node.Value;
                    Idle.Remove(node);
                    _idleBytes -= bytes;
                    break;
                }
            }
        }

        if (model is null)
        {
            model = ModelFactory.Create(config, task, device);
            bytes = model.parameters().Sum(p => p.numel() * p.element_size());
        }
        else
        {
            ModelFactory.Initialise(model, config);
        }

        Rented.AddOrUpdate(model, new Tag(key, bytes));
        return model;
    }

    /// <summary>
    /// Hands a rented model back for reuse (its gradients dropped). A model that was not rented here, or was returned
    /// already, is left alone.
    /// </summary>
    public static void Return(SequenceModel model)
    {
        if (!Rented.TryGetValue(model, out var tag) || !Rented.Remove(model))
        {
            return;
        }

        model.zero_grad(set_to_none: true);
        var evicted = new List<SequenceModel>();
        lock (Gate)
        {
            Idle.AddFirst((tag.Key, tag.Bytes, model));
            _idleBytes += tag.Bytes;
            while (Idle.Count > MaxIdleModels || (_idleBytes > MaxIdleBytes && Idle.Count > 0))
            {
                var oldest = Idle.Last!.Value;
                Idle.RemoveLast();
                _idleBytes -= oldest.Bytes;
                evicted.Add(oldest.Model);
            }
        }

        evicted.ForEach(m => m.Dispose());
    }

    /// <summary>Everything that decides a model's modules and what its forward does; the seed only decides its weights.</summary>
    private static string Key(TrialConfig config, ILearningTask task, Device device) =>
        $"{task.Input}|{config.TaskOptions.EmbeddingDimOrDefault}|{config.HiddenOrDefault}|{config.Layers}|{config.Direction}|{config.MergeMode}|{task.PerTimestep}|{device}";

    private sealed record Tag(string Key, long Bytes);
}
