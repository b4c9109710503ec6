namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A spec's <c>stop_when</c>: the sweep ends as soon as any trial reports an epoch with a training loss at or below
/// <see cref="Loss"/> (or an accuracy at or above <see cref="Accuracy"/>), or a held-out loss at or below
/// <see cref="ValLoss"/> (a held-out accuracy at or above <see cref="ValAccuracy"/>) at an epoch it validated.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.StopTarget")]
public sealed record StopTarget(
    [property: Id(0)] double? Loss = null,
    [property: Id(1)] double? Accuracy = null,
    [property: Id(2)] double? ValLoss = null,
    [property: Id(3)] double? ValAccuracy = null)
{
    /// <summary>Whether <paramref name="epoch"/> reaches any of the targets (a score the epoch lacks reaches nothing).</summary>
    public bool IsReachedBy(EpochReport epoch) =>
        epoch.Loss <= Loss || epoch.Accuracy >= Accuracy || epoch.ValLoss <= ValLoss || epoch.ValAccuracy >= ValAccuracy;

    /// <summary>Which target <paramref name="epoch"/> reached, in words (the first of them, in the order of the fields).</summary>
    public string Reached(EpochReport epoch) =>
        epoch.Loss <= Loss ? $"loss {epoch.Loss:G4} <= {Loss:G4}"
        : epoch.Accuracy >= Accuracy ? $"accuracy {epoch.Accuracy:G4} >= {Accuracy:G4}"
        : epoch.ValLoss <= ValLoss ? $"val_loss {epoch.ValLoss:G4} <= {ValLoss:G4}"
        : $"val_acc {epoch.ValAccuracy:G4} >= {ValAccuracy:G4}";
}
