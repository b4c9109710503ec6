using System.Diagnostics;
using System.Text.Json;

namespace SweepCluster.Client.Tests;

/// <summary>
/// Hostile specs through the real CLI process (<c>dotnet SweepCluster.Client.dll run spec.yaml</c>): each must end with
/// exit code 2 within seconds, name the offending key, print no stack trace, start no silo and write no results.
/// One line per spec: its YAML and the text (a spec path) that the error output must contain.
/// </summary>
public sealed class HostileSpecTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, (string Yaml, string Names)> Cases = new()
    {
        // Unbounded expansion.
        ["billion repeats"] = ("task: cumsum\nrepeats: 1000000000\n", "repeats"),
        ["30M random trials"] = ("task: cumsum\nmethod: random\ntrials: 30000000\nparameters: { hidden: { int_uniform: [1, 500] }, learning_rate: { log_uniform: [0.0001, 0.1] } }\n", "trials"),
        ["huge grid product"] = ("task: cumsum\nparameters:\n  hidden: [" + string.Join(", ", Enumerable.Range(1, 400)) + "]\n  learning_rate: [" + string.Join(", ", Enumerable.Range(1, 400).Select(i => $"0.{i:D4}")) + "]\nrepeats: 5\n", "parameters"),
        ["max_trials beyond int"] = ("task: cumsum\nmax_trials: 99999999999\n", "max_trials"),

        // Integer and float overflow.
        ["asha eta wraps"] = ("task: cumsum\nearly_stopping: { rule: asha, eta: 2000000 }\n", "early_stopping.eta"),
        ["asha eta cube is zero"] = ("task: cumsum\nearly_stopping: { rule: asha, eta: 65536 }\n", "early_stopping.eta"),
        ["time_limit overflows"] = ("task: cumsum\ntime_limit: 20000000d\n", "time_limit"),
        ["time_limit far beyond"] = ("task: cumsum\ntime_limit: 99999999999999999999999999s\n", "time_limit"),
        ["int_uniform beyond int"] = ("task: cumsum\nmethod: random\ntrials: 3\nparameters: { hidden: { int_uniform: [1, 10000000000] } }\n", "parameters.hidden.int_uniform"),
        ["epochs 2^31"] = ("task: cumsum\nepochs: 2147483648\n", "epochs"),
        ["learning rate underflows to 0"] = ("task: cumsum\nparameters: { learning_rate: [1e-400] }\n", "parameters.learning_rate[0]"),
        ["log_uniform underflows to 0"] = ("task: cumsum\nmethod: random\ntrials: 2\nparameters: { learning_rate: { log_uniform: [1e-400, 0.1] } }\n", "parameters.learning_rate.log_uniform"),
        ["learning rate inf"] = ("task: cumsum\nparameters: { learning_rate: [.inf] }\n", "parameters.learning_rate[0]"),
        ["learning rate huge"] = ("task: cumsum\nparameters: { learning_rate: [1e300] }\n", "parameters.learning_rate[0]"),
        ["stop_when nan"] = ("task: cumsum\nstop_when: { loss: .nan }\n", "stop_when.loss"),
        ["stop_when NaN"] = ("task: cumsum\nstop_when: { loss: NaN }\n", "stop_when.loss"),
        ["validate_every beyond long"] = ("task: cumsum\nvalidate_every: 99999999999999999999999\n", "validate_every"),
        ["stop_when val_acc inf"] = ("task: cumsum\nmetric: val_acc\nstop_when: { val_acc: .inf }\n", "stop_when.val_acc"),
        ["seed plus repeats wraps"] = ("task: cumsum\nseed: 2147483647\nrepeats: 3\n", "seed"),
        ["checkpoint_every beyond int"] = ("task: cumsum\ncheckpoint_every: 4294967296\n", "checkpoint_every"),
        ["max_epochs_total beyond long"] = ("task: cumsum\nmax_epochs_total: 99999999999999999999\n", "max_epochs_total"),
        ["steps_per_epoch huge"] = ("task: cumsum\ntask_options: { steps_per_epoch: 2000000000 }\n", "task_options.steps_per_epoch"),
        ["timesteps huge"] = ("task: cumsum\ntask_options: { timesteps: 2000000000 }\n", "task_options.timesteps"),
        ["pack_size zero"] = ("task: cumsum\npack_size: 0\n", "pack_size"),
        ["pack_size huge"] = ("task: cumsum\npack_size: 2000000000\n", "pack_size"),
        ["median min_completed huge"] = ("task: cumsum\nearly_stopping: { rule: median, min_completed: 2000000000 }\n", "early_stopping.min_completed"),

        // Models that cannot fit.
        ["hidden 100000"] = ("task: cumsum\nparameters: { hidden: [100000] }\n", "parameters.hidden"),
        ["layers 100000"] = ("task: cumsum\nparameters: { layers: [100000] }\n", "parameters.layers"),
        ["moving-square size 400"] = ("task: moving-square\ntask_options: { size: 400 }\n", "task_options.size"),
        ["batch_size huge"] = ("task: moving-square\nbatch_size: 100000000\n", "batch_size"),
        ["sentiment max_len huge"] = ("task: sentiment\ntask_options: { max_len: 2000000000 }\n", "task_options.max_len"),
        ["sentiment embedding huge"] = ("task: sentiment\ntask_options: { num_words: 1000000, embedding_dim: 100000 }\n", "task_options"),

        // YAML.
        ["100000 nested brackets"] = ("task: cumsum\nparameters: { hidden: " + new string('[', 100_000) + " }\n", "parameters.hidden"),
        ["billion laughs"] = (BillionLaughs(), "alias"),
        ["second document"] = ("task: cumsum\n---\ntask: sentiment\n", "---"),
        ["duplicate key"] = ("task: cumsum\nepochs: 10\nepochs: 20\n", "epochs"),
        ["duplicate nested key"] = ("task: cumsum\nparameters: { hidden: [10], hidden: [20] }\n", "parameters.hidden"),

        // Names and paths.
        ["name with markup"] = ("name: \"[red]boom[/\"\ntask: cumsum\n", "name"),
        ["name with slash"] = ("name: ../../escape\ntask: cumsum\n", "name"),
        ["name with dots only"] = ("name: ..\ntask: cumsum\n", "name"),
        ["name 300 characters"] = ("name: " + new string('a', 300) + "\ntask: cumsum\n", "name"),
        ["terminal escapes in a key"] = ("task: cumsum\n\"\\e[2J\\e[31mboom\": 1\n", "unknown key"),
        ["100000 keys"] = ("task: cumsum\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"k{i}: 1\n")), "spec"),
        ["task path with NUL"] = ("task: sentiment\ntask_options: { source: imdb-npz, path: \"a\\0b\" }\n", "task_options.path"),
    };

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sweep-hostile-");

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task AHostileSpecIsRefusedQuicklyByPathWithoutStartingOrWritingAnything(string name)
    {
        var (yaml, names) = Cases[name];
        var work = _root.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        var home = work.CreateSubdirectory("home");
        var spec = Path.Combine(work.FullName, "hostile.yaml");
        await File.WriteAllTextAsync(spec, yaml);

        var (exitCode, output, elapsed) = await RunClientAsync(work.FullName, home.FullName, "run", spec, "--quiet");

        try
        {
            Assert.True(exitCode == 2, $"exit code {exitCode} after {elapsed.TotalSeconds:F1} s; output:\n{Tail(output)}");
            Assert.True(elapsed < Limit, $"took {elapsed.TotalSeconds:F1} s");
            Assert.Contains(names, output);
            Assert.DoesNotContain("   at ", output);
            Assert.DoesNotContain("Unhandled exception", output);
            Assert.DoesNotContain('\u001b', output);
            Assert.False(Directory.Exists(Path.Combine(work.FullName, "runs")), "a refused spec must write no results");
            Assert.False(File.Exists(Path.Combine(home.FullName, "local-silo.json")), "a refused spec must not start a silo");
        }
        finally
        {
            StopSiloIfStarted(home.FullName);
        }
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("huge")]
    public async Task ASpecThatIsADeviceAPipeOrHugeIsRefusedWithinSeconds(string kind)
    {
        var work = _root.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        var home = work.CreateSubdirectory("home");
        var spec = kind == "/dev/zero" ? kind : Path.Combine(work.FullName, kind + ".yaml");
        if (kind == "fifo")
        {
            using var mkfifo = Process.Start("mkfifo", [spec]);
            await mkfifo.WaitForExitAsync();
        }
        else if (kind == "huge")
        {
            await File.WriteAllTextAsync(spec, "task: cumsum\n# " + new string('x', 3 << 20) + "\n");
        }

        var (exitCode, output, elapsed) = await RunClientAsync(work.FullName, home.FullName, "run", spec, "--quiet");

        Assert.True(exitCode == 2, $"exit code {exitCode} after {elapsed.TotalSeconds:F1} s; output:\n{Tail(output)}");
        Assert.True(elapsed < Limit, $"took {elapsed.TotalSeconds:F1} s");
        Assert.Contains("spec:", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(Path.Combine(home.FullName, "local-silo.json")), "a refused spec must not start a silo");
    }

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>Ten levels of aliases, each listing the previous one ten times: 10^10 nodes once expanded.</summary>
    private static string BillionLaughs()
    {
        var yaml = "task: cumsum\nlaughs:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (var i = 1; i < 10; i++)
        {
            yaml += $"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n";
        }

        return yaml + "parameters: { hidden: *l9 }\n";
    }

    internal static async Task<(int ExitCode, string Output, TimeSpan Elapsed)> RunClientAsync(string workingDirectory, string home, params string[] args)
    {
        var client = Path.Combine(AppContext.BaseDirectory, "SweepCluster.Client.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SWEEP_HOME"] = home, ["SWEEP_SILO_IDLE_SECONDS"] = "30", ["DOTNET_gcServer"] = "0" },
        };
        start.ArgumentList.Add(client);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit + TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        clock.Stop();
        return (process.HasExited ? process.ExitCode : -1, await stdout + await stderr, clock.Elapsed);
    }

    private static string Tail(string output) => output.Length > 3000 ? output[^3000..] : output;

    /// <summary>Before the fix some of these specs started a silo: stop it so it does not outlive the test.</summary>
    private static void StopSiloIfStarted(string home)
    {
        var state = Path.Combine(home, "local-silo.json");
        if (!File.Exists(state))
        {
            return;
        }

        try
        {
            var pid = JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("pid").GetInt32();
            using var silo = Process.GetProcessById(pid);
            silo.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException or KeyNotFoundException)
        {
            // Already gone.
        }
    }
}
