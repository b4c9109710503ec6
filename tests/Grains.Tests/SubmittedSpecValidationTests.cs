using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The sweep grain checks a spec itself, so a client that skips the CLI's checks (or a future API) gets the same
/// errors: each spec here is sent straight to the grain and must be refused by its field, with nothing stored,
/// registered, queued or started. One line per spec.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SubmittedSpecValidationTests(EngineFixture engine)
{
    private static readonly SweepSpec Valid = Specs.Cumsum("valid", epochs: 5);

    private static readonly Dictionary<string, (SweepSpec Spec, string Field)> Cases = new()
    {
        ["pack_size 0"] = (Valid with { PackSize = 0 }, "pack_size"),
        ["a billion repeats"] = (Valid with { Repeats = 1_000_000_000 }, "repeats"),
        ["a grid of millions"] = (Valid with { Grid = With(new SweptParameter("hidden", Numbers(2000, h => h)), new SweptParameter("learning_rate", Numbers(1000, i => i * 1e-4))) }, "parameters"),
        ["30M random trials"] = (Valid with { Method = SearchMethod.Random, Trials = 30_000_000 }, "trials"),
        ["a name with a slash"] = (Valid with { Name = "../../escape" }, "name"),
        ["a name with markup"] = (Valid with { Name = "[red]boom[/" }, "name"),
        ["a name of 300 characters"] = (Valid with { Name = new string('a', 300) }, "name"),
        ["no name"] = (Valid with { Name = null! }, "name"),
        ["stop_when NaN"] = (Valid with { StopWhen = new StopTarget(Loss: double.NaN) }, "stop_when.loss"),
        ["stop_when accuracy infinite"] = (Valid with { StopWhen = new StopTarget(Accuracy: double.PositiveInfinity) }, "stop_when.accuracy"),
        ["asha eta int.MaxValue"] = (Valid with { EarlyStopping = new EarlyStopping(StoppingRuleKind.Asha, MinEpochs: 1, Eta: int.MaxValue) }, "early_stopping.eta"),
        ["asha eta 0"] = (Valid with { EarlyStopping = new EarlyStopping(StoppingRuleKind.Asha, MinEpochs: 1, Eta: 0) }, "early_stopping.eta"),
        ["median grace beyond epochs"] = (Valid with { EarlyStopping = new EarlyStopping(StoppingRuleKind.Median, GraceEpochs: 5, MinCompleted: 3) }, "early_stopping.grace_epochs"),
        ["time_limit TimeSpan.MaxValue"] = (Valid with { Budget = new SweepBudget(TimeLimit: TimeSpan.MaxValue) }, "time_limit"),
        ["max_epochs_total negative"] = (Valid with { Budget = new SweepBudget(MaxEpochsTotal: -1) }, "max_epochs_total"),
        ["learning rate NaN"] = (Valid with { Grid = With(new SweptParameter("learning_rate", ["NaN"])) }, "parameters.learning_rate[0]"),
        ["hidden 100000"] = (Valid with { Grid = With(new SweptParameter("hidden", ["100000"])) }, "parameters.hidden[0]"),
        ["hidden beyond int"] = (Valid with { Grid = With(new SweptParameter("hidden", ["99999999999"])) }, "parameters.hidden[0]"),
        ["timesteps a path"] = (Valid with { Grid = With(new SweptParameter("task_options.timesteps", ["../../etc/passwd"])) }, "parameters.task_options.timesteps[0]"),
        ["an unknown key"] = (Valid with { Grid = With(new SweptParameter("task_options.path", ["/etc"])) }, "parameters.task_options.path"),
        ["a size for cumsum"] = (Valid with { Grid = With(new SweptParameter("task_options.size", ["10"])) }, "parameters.task_options.size[0]"),
        ["timesteps fixed and swept"] = (Valid with { TaskOptions = new TaskOptions { Timesteps = 10 }, Grid = With(new SweptParameter("task_options.timesteps", ["5", "10"])) }, "parameters.task_options.timesteps"),
        ["when names an unknown key"] = (Valid with { Grid = With(new SweptParameter("hidden", ["5", "10"], When: Condition("colour", "red"))) }, "parameters.hidden.when.colour"),
        ["when names a value never taken"] = (Valid with { Grid = With(new SweptParameter("hidden", ["5", "10"], When: Condition("layers", "3"))) }, "parameters.hidden.when.layers[0]"),
        ["a million hidden sizes"] = (Valid with { Grid = With(new SweptParameter("hidden", Numbers(1_000_000, h => h))) }, "parameters.hidden"),
        ["a parameter named by a path"] = (Valid with { Grid = With(new SweptParameter("../../etc", ["1"])) }, "parameters.../../etc"),
        ["epochs NaN by distribution"] = (Valid with { Method = SearchMethod.Random, Trials = 3, Grid = With(new SweptParameter("epochs", [], new Distribution(DistributionKind.IntUniform, 1, double.NaN))) }, "parameters.epochs.int_uniform"),
        ["no directions"] = (Valid with { Grid = With(new SweptParameter("direction", [])) }, "parameters.direction"),
        ["no grid"] = (Valid with { Grid = null! }, "parameters"),
        ["int_uniform beyond int"] = (Valid with
        {
            Method = SearchMethod.Random,
            Trials = 3,
            Grid = With(new SweptParameter("hidden", [], new Distribution(DistributionKind.IntUniform, 1, 1e10))),
        }, "parameters.hidden.int_uniform"),
        ["seed plus repeats wraps"] = (Valid with { Seed = int.MaxValue, Repeats = 3 }, "seed"),
        ["epochs 0"] = (Valid with { Epochs = 0 }, "epochs"),
        ["moving-square frames of 400"] = (Valid with { Task = TaskKind.MovingSquare, TaskOptions = new TaskOptions { Size = 400 } }, "task_options.size"),
        ["an unknown task"] = (Valid with { Task = (TaskKind)42 }, "task"),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    /// <summary>The valid spec's parameters with <paramref name="parameters"/> added or replacing those of the same name.</summary>
    private static SweepGrid With(params SweptParameter[] parameters) =>
        new([.. Valid.Grid.Parameters.Where(p => parameters.All(q => q.Name != p.Name)), .. parameters]);

    private static string[] Numbers(int count, Func<int, double> value) =>
        [.. Enumerable.Range(1, count).Select(i => value(i).ToString("R", System.Globalization.CultureInfo.InvariantCulture))];

    private static Dictionary<string, IReadOnlyList<string>> Condition(string key, string value) => new() { [key] = [value] };

    [Fact]
    public async Task TheSweepGrainRefusesASpecTextOfManyMegabytes()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("invalid-" + Guid.NewGuid().ToString("N"));

        var refused = await Assert.ThrowsAsync<SpecRejectedException>(() => sweep.SubmitAsync(Valid, new string('#', 5 << 20)));

        Assert.Equal("spec", Assert.Single(refused.Errors).Field);
        Assert.Null(await sweep.GetProgressAsync());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task TheSweepGrainRefusesAnInvalidSpecByItsFieldAndQueuesNothing(string name)
    {
        var (spec, field) = Cases[name];
        var sweepId = "invalid-" + Guid.NewGuid().ToString("N");
        var sweep = engine.Client.GetGrain<ISweepGrain>(sweepId);
        var started = engine.Worker.Started;

        var refused = await Assert.ThrowsAsync<SpecRejectedException>(() => sweep.SubmitAsync(spec, "spec: as sent"));

        Assert.Contains(refused.Errors, e => e.Field == field);
        Assert.Contains(field, refused.Message);
        Assert.Null(await sweep.GetProgressAsync());
        var listed = await engine.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync(0, 10_000);
        Assert.DoesNotContain(sweepId, listed.Sweeps.Select(s => s.SweepId));
        Assert.Equal(started, engine.Worker.Started);
    }

    [Fact]
    public async Task TheSweepGrainAcceptsTheValidSpecTheCasesAreMadeFrom()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("valid-" + Guid.NewGuid().ToString("N"));

        var overview = await sweep.SubmitAsync(Valid, "");

        Assert.Equal(6, overview.Trials);
        await engine.WaitForAsync(sweep);
    }
}
