using System.Diagnostics;
using SweepCluster.Abstractions.Sweeps;
using Xunit.Abstractions;

namespace SweepCluster.Storage.Tests;

/// <summary>What every durable curve store must do; each store's class runs these against a real one.</summary>
public abstract class CurveStoreTests(ITestOutputHelper output)
{
    protected abstract ICurveStore Store { get; }

    [Fact]
    public async Task OutOfOrderAndRepeatedWritesReadBackAsOneCurveWithTheLastValueOfEachEpoch()
    {
        await Store.WriteAsync("t-1", [Epoch("t-1", 3), Epoch("t-1", 1)]);
        await Store.WriteAsync("t-1", [Epoch("t-1", 2), Epoch("t-1", 2, loss: 9)]);
        await Store.WriteAsync("t-1", [Epoch("t-1", 5), Epoch("t-1", 4), Epoch("t-1", 1, loss: 7)]);
        await Store.WriteAsync("t-1", [Epoch("t-1", 3)]);

        var curve = Assert.Single(await Store.ReadAsync([new CurveRequest("t-1", 10)]));

        Assert.Equal("t-1", curve.TrialId);
        Assert.Equal(new double[] { 7, 9, 3, 4, 5 }, curve.Loss);
        Assert.Equal(new[] { 0.3, 0.6, 0.9, 1.2, 1.5 }, curve.Accuracy.Select(a => Math.Round(a, 12)));
        Assert.Equal(new[] { 1.5, 3, 4.5, 6, 7.5 }, curve.Seconds);
    }

    [Fact]
    public async Task ReadingStopsAtTheFirstMissingEpochUntilItIsWritten()
    {
        await Store.WriteAsync("t-gap", [Epoch("t-gap", 1), Epoch("t-gap", 2), Epoch("t-gap", 4), Epoch("t-gap", 5)]);

        Assert.Equal(new double[] { 1, 2 }, Assert.Single(await Store.ReadAsync([new CurveRequest("t-gap", 5)])).Loss);

        await Store.WriteAsync("t-gap", [Epoch("t-gap", 3)]);

        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, Assert.Single(await Store.ReadAsync([new CurveRequest("t-gap", 5)])).Loss);
    }

    [Fact]
    public async Task AnEpochOfZerosIsAWrittenEpochNotAHole()
    {
        await Store.WriteAsync("t-zero", [new("t-zero", 1, 0, 0, 0), new("t-zero", 2, 0, 0, -0.0), new("t-zero", 3, 1, 0, 0)]);

        var curve = Assert.Single(await Store.ReadAsync([new CurveRequest("t-zero", 3)]));

        Assert.Equal(new double[] { 0, 0, 1 }, curve.Loss);
        Assert.Equal(new double[] { 0, 0, 0 }, curve.Seconds);
    }

    [Fact]
    public async Task ADivergedCurveKeepsItsNaNAndInfinities()
    {
        await Store.WriteAsync("t-nan", [new("t-nan", 1, double.NaN, double.NegativeInfinity, double.PositiveInfinity), new("t-nan", 2, 1e308, -1e-308, double.Epsilon)]);

        var curve = Assert.Single(await Store.ReadAsync([new CurveRequest("t-nan", 2)]));

        Assert.Equal(new[] { double.NaN, 1e308 }, curve.Loss);
        Assert.Equal(new[] { double.NegativeInfinity, -1e-308 }, curve.Accuracy);
        Assert.Equal(new[] { double.PositiveInfinity, double.Epsilon }, curve.Seconds);
    }

    [Fact]
    public async Task AReadAnswersInRequestOrderAndNoFurtherThanAsked()
    {
        await Store.WriteAsync("t-a", [.. Enumerable.Range(1, 5).Select(e => Epoch("t-a", e))]);
        await Store.WriteAsync("t-b", [.. Enumerable.Range(1, 3).Select(e => Epoch("t-b", e))]);

        var curves = await Store.ReadAsync([new("t-b", 10), new("t-unknown", 4), new("t-a", 2), new("t-a", 0)]);

        Assert.Equal(["t-b", "t-unknown", "t-a", "t-a"], curves.Select(c => c.TrialId));
        Assert.Equal([3, 0, 2, 0], curves.Select(c => c.Epochs));
        Assert.Equal(new double[] { 1, 2 }, curves[2].Loss);
    }

    [Fact]
    public async Task DeletedCurvesReadEmptyAndOthersStay()
    {
        await Store.WriteAsync("t-gone", [Epoch("t-gone", 1)]);
        await Store.WriteAsync("t-kept", [Epoch("t-kept", 1)]);

        await Store.DeleteAsync(["t-gone", "t-never-written"]);

        Assert.Equal([0, 1], (await Store.ReadAsync([new("t-gone", 1), new("t-kept", 1)])).Select(c => c.Epochs));
    }

    [Fact]
    public async Task ValidationScoresReadBackAtTheEpochsThatHaveThemAndACurveWithoutThemHasNone()
    {
        EpochReport Validated(int epoch, double valLoss, double valAccuracy) => Epoch("t-val", epoch) with { ValLoss = valLoss, ValAccuracy = valAccuracy };
        await Store.WriteAsync("t-val", [Epoch("t-val", 1), Validated(2, 0.5, 0.75), Epoch("t-val", 3)]);
        await Store.WriteAsync("t-val", [Validated(4, 0, -0.0), Epoch("t-val", 5), Validated(6, 0.25, 1)]);
        await Store.WriteAsync("t-plain", [Epoch("t-plain", 1), Epoch("t-plain", 2)]);

        var curves = await Store.ReadAsync([new("t-val", 6), new("t-plain", 2), new("t-val", 3)]);

        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, curves[0].Loss);
        Assert.Equal([null, 0.5, null, 0, null, 0.25], curves[0].ValLoss!);
        Assert.Equal([null, 0.75, null, 0, null, 1], curves[0].ValAccuracy!);
        Assert.Null(curves[1].ValLoss);
        Assert.Null(curves[1].ValAccuracy);
        Assert.Equal([null, 0.5, null], curves[2].ValLoss!); // no further than asked

        await Store.DeleteAsync(["t-val"]);
        await Store.WriteAsync("t-val", [Epoch("t-val", 1), Epoch("t-val", 2)]);

        Assert.Null(Assert.Single(await Store.ReadAsync([new CurveRequest("t-val", 2)])).ValLoss); // deleted with the curve
    }

    [Fact]
    public async Task EpochsAreNumberedFromOne()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.WriteAsync("t-bad", [Epoch("t-bad", 0)]));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a\0b")]
    [InlineData("a b")]
    [InlineData("a\\b")]
    public async Task HostileTrialIdsAreRefusedByName(string trialId)
    {
        var write = await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(trialId, [Epoch(trialId, 1)]));
        var read = await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadAsync([new CurveRequest(trialId, 1)]));
        var delete = await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync([trialId]));

        Assert.All([write, read, delete], e => Assert.Contains($"'{trialId}'", e.Message));
    }

    [Fact]
    public async Task TenThousandTrialsOf250EpochsReadBackInPages()
    {
        const int Trials = 10_000, Epochs = 250, Page = 1_000;
        var ids = Enumerable.Range(0, Trials).Select(t => $"big-{t:x5}").ToArray();
        var clock = new Stopwatch();
        var written = TimeSpan.Zero;
        foreach (var page in ids.Chunk(Page))
        {
            var reports = page.Select(id => (id, epochs: (EpochReport[])[.. Enumerable.Range(1, Epochs).Select(e => Epoch(id, e, loss: Value(id, e)))])).ToArray();
            clock.Restart();
            await Task.WhenAll(reports.Select(r => Store.WriteAsync(r.id, r.epochs)));
            written += clock.Elapsed;
        }

        var reading = TimeSpan.Zero;
        var read = 0;
        foreach (var page in ids.Chunk(Page))
        {
            clock.Restart();
            var curves = await Store.ReadAsync([.. page.Select(id => new CurveRequest(id, Epochs))]);
            reading += clock.Elapsed;
            for (var i = 0; i < page.Length; i++)
            {
                Assert.Equal(page[i], curves[i].TrialId);
                Assert.Equal(Enumerable.Range(1, Epochs).Select(e => Value(page[i], e)), curves[i].Loss);
                Assert.Equal(Enumerable.Range(1, Epochs).Select(e => e * 1.5), curves[i].Seconds);
                read++;
            }
        }

        Assert.Equal(Trials, read);
        output.WriteLine($"{GetType().Name}: {Trials} trials x {Epochs} epochs written in {written.TotalSeconds:F2} s, read in pages of {Page} in {reading.TotalSeconds:F2} s");

        static double Value(string id, int epoch) => (id.GetHashCode() % 1000) + (epoch / 1000.0);
    }

    protected static EpochReport Epoch(string trialId, int epoch, double? loss = null) =>
        new(trialId, epoch, loss ?? epoch, epoch * 0.3, epoch * 1.5);
}
