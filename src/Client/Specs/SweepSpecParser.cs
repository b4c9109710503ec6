using System.Globalization;
using System.Numerics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Client.Specs;

/// <summary>
/// Reads a YAML sweep spec (plus <c>--set path=value</c> overrides) and validates all of it before anything
/// runs, collecting every problem with its path rather than stopping at the first.
/// </summary>
public sealed class SweepSpecParser
{
    private static readonly string[] TopLevelKeys =
        [
            "name", "task", "task_options", "method", "trials", "parameters", "repeats", "epochs", "batch_size", "device", "seed", "checkpoint_every",
            "early_stopping", "max_trials", "max_epochs_total", "time_limit", "stop_when", "pack", "pack_size",
            "metric", "validate_every", "tpe",
        ];

    private static readonly Dictionary<string, string[]> EarlyStoppingKeys = new()
    {
        ["median"] = ["rule", "grace_epochs", "min_completed"],
        ["asha"] = ["rule", "min_epochs", "eta"],
    };

    private static readonly Dictionary<string, TimeSpan> TimeUnits = new()
    {
        ["s"] = TimeSpan.FromSeconds(1), ["m"] = TimeSpan.FromMinutes(1), ["h"] = TimeSpan.FromHours(1), ["d"] = TimeSpan.FromDays(1),
    };

    private static readonly Dictionary<string, DistributionKind> DistributionNames = new()
    {
        ["uniform"] = DistributionKind.Uniform,
        ["log_uniform"] = DistributionKind.LogUniform,
        ["int_uniform"] = DistributionKind.IntUniform,
    };

    /// <summary>A parameter written as a mapping: its values or distribution, and when it applies.</summary>
    private static readonly string[] ParameterForms = ["values", "choice", "uniform", "log_uniform", "int_uniform", "when"];

    private static readonly string[] TaskOptionKeys =
        ["timesteps", "steps_per_epoch", "size", "train_size", "test_size", "source", "path", "num_words", "max_len", "embedding_dim"];

    private readonly List<SpecError> _errors = [];
    private bool _named;
    private readonly string _source;
    private readonly string _baseDirectory;

    private SweepSpecParser(string source, string baseDirectory)
    {
        _source = source;
        _baseDirectory = baseDirectory;
    }

    public static ParsedSpec ParseFile(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path))
        {
            throw new SpecException(path, [new SpecError("spec", $"file '{path}' does not exist")]);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return Parse(ReadBounded(path), path, overrides, directory);
    }

    /// <summary>
    /// Reads at most <see cref="YamlLimits.MaxCharacters"/> (a spec named /dev/zero must not fill the memory) and gives
    /// up after a few seconds (a FIFO with no writer blocks its reader forever).
    /// </summary>
    private static string ReadBounded(string path)
    {
        var read = Task.Run(() =>
        {
            using var reader = new StreamReader(path);
            var buffer = new char[YamlLimits.MaxCharacters + 1];
            var length = reader.ReadBlock(buffer, 0, buffer.Length);
            return length > YamlLimits.MaxCharacters ? null : new string(buffer, 0, length);
        });
        try
        {
            return read.Wait(TimeSpan.FromSeconds(5))
                ? read.Result ?? throw new SpecException(path, [new SpecError("spec", $"is larger than {YamlLimits.MaxCharacters / 1024} KiB; a spec is a short YAML file")])
                : throw new SpecException(path, [new SpecError("spec", $"'{path}' could not be read within 5 s (a pipe or device, not a file?)")]);
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            throw new SpecException(path, [new SpecError("spec", $"'{path}' cannot be read: {e.InnerException.Message}")]);
        }
    }

    public static ParsedSpec Parse(string yaml, string source = "spec", IEnumerable<string>? overrides = null, string? baseDirectory = null)
    {
        var parser = new SweepSpecParser(source, baseDirectory ?? Environment.CurrentDirectory);
        if (YamlLimits.Check(yaml) is { Count: > 0 } refused)
        {
            throw new SpecException(source, refused);
        }

        var root = parser.Load(yaml);
        foreach (var assignment in overrides ?? [])
        {
            parser.ApplyOverride(root, assignment);
        }

        var spec = parser.Read(root);
        if (spec is not null)
        {
            parser.AddValidationErrors(spec);
        }

        if (parser._errors.Count > 0 || spec is null)
        {
            throw new SpecException(source, parser._errors);
        }

        var resolved = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(resolved, assignAnchors: false);
        return new ParsedSpec(spec, resolved.ToString());
    }

    private YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SpecException(_source, [new SpecError($"line {e.Start.Line}, column {e.Start.Column}", $"unparsable YAML: {e.InnerException?.Message ?? e.Message}")]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SpecException(_source, [new SpecError("spec", "must be a YAML mapping of keys (name, task, parameters, ...)")]);
        }

        return root;
    }

    /// <summary><c>--set epochs=50</c>, <c>--set parameters.hidden=[10,20]</c>: the value is read as YAML.</summary>
    private void ApplyOverride(YamlMappingNode root, string assignment)
    {
        var equals = assignment.IndexOf('=');
        if (equals <= 0)
        {
            _errors.Add(new SpecError("--set", $"'{assignment}' is not key=value"));
            return;
        }

        var path = assignment[..equals].Trim().Split('.');
        YamlNode value;
        if (YamlLimits.Check(assignment[(equals + 1)..], assignment[..equals].Trim()) is { Count: > 0 } refused)
        {
            _errors.AddRange(refused.Select(e => e with { Path = "--set " + e.Path }));
            return;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(assignment[(equals + 1)..]));
            value = stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            _errors.Add(new SpecError($"--set {assignment[..equals]}", $"value is not valid YAML: {e.Message}"));
            return;
        }

        var mapping = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (!mapping.Children.TryGetValue(new YamlScalarNode(path[i]), out var child))
            {
                child = new YamlMappingNode();
                mapping.Children[new YamlScalarNode(path[i])] = child;
            }

            if (child is not YamlMappingNode next)
            {
                _errors.Add(new SpecError($"--set {assignment[..equals]}", $"'{string.Join('.', path[..(i + 1)])}' is not a mapping"));
                return;
            }

            mapping = next;
        }

        mapping.Children[new YamlScalarNode(path[^1])] = value;
    }

    private SweepSpec? Read(YamlMappingNode root)
    {
        var keys = CheckKeys(root, "", TopLevelKeys);
        var task = Scalar(keys, "task", "task") is { } taskName ? Try<TaskKind?>(() => Names.ParseTask(taskName, "task")) : Missing<TaskKind?>("task");
        var method = (Scalar(keys, "method", "method") ?? "grid") switch
        {
            "grid" => SearchMethod.Grid,
            "random" => SearchMethod.Random,
            "tpe" => SearchMethod.Tpe,
            var other => Fail<SearchMethod?>("method", $"'{other}' is not one of grid, random, tpe") ?? SearchMethod.Grid,
        };
        var trials = Int(keys, "trials", method == SearchMethod.Tpe ? Limits.TpeTrials : Limits.Trials);
        if (method != SearchMethod.Grid && trials is null && !keys.ContainsKey("trials"))
        {
            _errors.Add(new SpecError("trials", method == SearchMethod.Tpe
                ? "is required for method: tpe (how many configurations to suggest)"
                : "is required for method: random (how many configurations to sample)"));
        }
        else if (method == SearchMethod.Grid && keys.ContainsKey("trials"))
        {
            _errors.Add(new SpecError("trials", "only applies to method: random or tpe (a grid runs every combination)"));
        }

        var epochs = Int(keys, "epochs", Limits.Epochs) ?? 250;
        var name = Scalar(keys, "name", "name");
        _named = name is not null;
        var spec = new SweepSpec(
            Name: name ?? Path.GetFileNameWithoutExtension(_source),
            Task: task ?? TaskKind.Cumsum,
            TaskOptions: ReadTaskOptions(keys, task),
            Grid: ReadGrid(keys, method),
            Repeats: Int(keys, "repeats", Limits.Repeats) ?? 1,
            Epochs: epochs,
            BatchSize: Int(keys, "batch_size", Limits.BatchSize),
            Device: Scalar(keys, "device", "device") is { } device ? Try<DeviceKind?>(() => Names.ParseDevice(device)) ?? DeviceKind.Cpu : DeviceKind.Cpu,
            Seed: Int(keys, "seed", Limits.Seed) ?? 0,
            CheckpointEvery: Int(keys, "checkpoint_every", Limits.CheckpointEvery) ?? 10,
            Method: method,
            Trials: trials ?? 0,
            EarlyStopping: ReadEarlyStopping(keys, epochs),
            Budget: ReadBudget(keys),
            StopWhen: ReadStopTarget(keys),
            Pack: Scalar(keys, "pack", "pack") is { } pack ? Try<bool?>(() => ParseBool(pack, "pack")) ?? true : true,
            PackSize: Int(keys, "pack_size", Limits.PackSize) ?? 16,
            Metric: ReadMetric(keys),
            ValidateEvery: Int(keys, "validate_every", Limits.Epochs),
            Tpe: ReadTpe(keys, method));
        return task is null ? null : spec;
    }

    /// <summary><c>tpe: { startup: 10, candidates: 24 }</c>, only with <c>method: tpe</c>; ranges are the validator's.</summary>
    private TpeOptions? ReadTpe(Dictionary<string, YamlNode> top, SearchMethod method)
    {
        if (!top.TryGetValue("tpe", out var node))
        {
            return null;
        }

        if (method != SearchMethod.Tpe)
        {
            return Fail<TpeOptions>("tpe", "only applies to method: tpe");
        }

        if (node is not YamlMappingNode mapping)
        {
            return Fail<TpeOptions>("tpe", "must be a mapping such as { startup: 10, candidates: 24 }");
        }

        var keys = CheckKeys(mapping, "tpe.", ["startup", "candidates"]);
        return new TpeOptions(Int(keys, "startup", Limits.TpeStartup, prefix: "tpe."), Int(keys, "candidates", Limits.TpeCandidates, prefix: "tpe."));
    }

    /// <summary><c>early_stopping: asha</c> (the rule's defaults) or <c>{ rule: asha, min_epochs: 10, eta: 3 }</c>.</summary>
    private EarlyStopping? ReadEarlyStopping(Dictionary<string, YamlNode> top, int epochs)
    {
        if (!top.TryGetValue("early_stopping", out var node))
        {
            return null;
        }

        var (rule, keys) = node switch
        {
            YamlScalarNode { Value: { } name } => (name, new Dictionary<string, YamlNode>()),
            YamlMappingNode mapping when mapping.Children.TryGetValue(new YamlScalarNode("rule"), out var r) && r is YamlScalarNode { Value: { } name } =>
                (name, EarlyStoppingKeys.TryGetValue(name, out var known) ? CheckKeys(mapping, "early_stopping.", known) : []),
            _ => (null, []),
        };
        var path = node is YamlMappingNode ? "early_stopping.rule" : "early_stopping";
        if (rule is null)
        {
            return Fail<EarlyStopping>(path, node is YamlMappingNode
                ? "is required: median or asha"
                : "must be median, asha, or a mapping such as { rule: asha, min_epochs: 10, eta: 3 }");
        }

        switch (rule)
        {
            case "median":
                var grace = Int(keys, "grace_epochs", Limits.GraceEpochs, prefix: "early_stopping.");
                var minCompleted = Int(keys, "min_completed", Limits.MinCompleted, prefix: "early_stopping.");
                return EarlyStopping.Median(epochs, grace, minCompleted);

            case "asha":
                var minEpochs = Int(keys, "min_epochs", Limits.MinEpochs, prefix: "early_stopping.");
                var eta = Int(keys, "eta", Limits.Eta, prefix: "early_stopping.");
                return EarlyStopping.Asha(epochs, minEpochs, eta);

            default:
                return Fail<EarlyStopping>(path, $"'{rule}' is not one of median, asha");
        }
    }

    /// <summary><c>metric: { name: val_loss, goal: minimize }</c> (the goal defaults from the name), or just <c>metric: val_loss</c>.</summary>
    private SweepMetric? ReadMetric(Dictionary<string, YamlNode> top)
    {
        if (!top.TryGetValue("metric", out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } bare })
        {
            return Try<MetricName?>(() => SweepMetric.ParseName(bare, "metric")) is { } named ? new SweepMetric(named, SweepMetric.NaturalGoal(named)) : null;
        }

        if (node is not YamlMappingNode mapping)
        {
            return Fail<SweepMetric>("metric", "must be a mapping such as { name: val_loss, goal: minimize }");
        }

        var keys = CheckKeys(mapping, "metric.", ["name", "goal"]);
        var name = Scalar(keys, "name", "metric.name") is { } nameText ? Try<MetricName?>(() => SweepMetric.ParseName(nameText)) : Missing<MetricName?>("metric.name");
        var goal = Scalar(keys, "goal", "metric.goal") is { } goalText ? Try<MetricGoal?>(() => SweepMetric.ParseGoal(goalText)) : null;
        return name is { } metric ? new SweepMetric(metric, goal ?? SweepMetric.NaturalGoal(metric)) : null;
    }

    private SweepBudget? ReadBudget(Dictionary<string, YamlNode> top)
    {
        var maxTrials = Int(top, "max_trials", Limits.MaxTrials);
        var maxEpochs = Scalar(top, "max_epochs_total", "max_epochs_total") is { } epochsText
            ? Try<long?>(() => ParseWhole(epochsText, "max_epochs_total", Limits.MaxEpochsTotal))
            : null;
        var timeLimit = Scalar(top, "time_limit", "time_limit") is { } limitText ? Try<TimeSpan?>(() => ParseDuration(limitText, "time_limit")) : null;
        return maxTrials is null && maxEpochs is null && timeLimit is null ? null : new SweepBudget(maxTrials, maxEpochs, timeLimit);
    }

    /// <summary><c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>1d</c>.</summary>
    private static TimeSpan ParseDuration(string text, string path)
    {
        var parts = System.Text.RegularExpressions.Regex.Matches(text.Trim(), @"\G(\d+(?:\.\d+)?)([smhd])");
        if (parts.Count == 0 || parts.Sum(p => p.Length) != text.Trim().Length)
        {
            throw new ConfigException(path, $"'{text}' is not a duration such as 90s, 30m, 2h or 1h30m");
        }

        // Summed in seconds as doubles and bounded before a TimeSpan is made: 20000000d overflows one.
        var seconds = parts.Sum(p => double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) * TimeUnits[p.Groups[2].Value].TotalSeconds);
        if (!double.IsFinite(seconds) || seconds > Limits.MaxTimeLimit.TotalSeconds)
        {
            throw new ConfigException(path, $"must be at most {Limits.MaxTimeLimit.TotalDays:0}d, got {text}");
        }

        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ConfigException(path, "must be longer than zero");
    }

    /// <summary><c>stop_when: { loss: 0.05 }</c> and/or <c>{ accuracy: 0.99 }</c>, <c>{ val_loss: 0.3 }</c>, <c>{ val_acc: 0.9 }</c>.</summary>
    private StopTarget? ReadStopTarget(Dictionary<string, YamlNode> top)
    {
        if (!top.TryGetValue("stop_when", out var node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
        {
            return Fail<StopTarget>("stop_when", "must be a mapping with loss and/or accuracy (or val_loss, val_acc), such as { loss: 0.05 }");
        }

        var keys = CheckKeys(mapping, "stop_when.", ["loss", "accuracy", "val_loss", "val_acc"]);
        // Ranges are the validator's; here only whether it is a finite number.
        double? Target(string key) => Scalar(keys, key, "stop_when." + key) is { } text
            ? Try<double?>(() => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new ConfigException("stop_when." + key, $"'{text}' is not a number"))
            : null;
        var target = new StopTarget(Target("loss"), Target("accuracy"), Target("val_loss"), Target("val_acc"));
        return target == new StopTarget() ? null : target;
    }

    private TaskOptions ReadTaskOptions(Dictionary<string, YamlNode> top, TaskKind? task)
    {
        if (!top.TryGetValue("task_options", out var node))
        {
            return TaskOptions.Default;
        }

        if (node is not YamlMappingNode mapping)
        {
            _errors.Add(new SpecError("task_options", "must be a mapping (e.g. { timesteps: 10 })"));
            return TaskOptions.Default;
        }

        var keys = CheckKeys(mapping, "task_options.", TaskOptionKeys);
        int? Option(string key, Bound bound) => Int(keys, key, bound, prefix: "task_options.");
        var source = Scalar(keys, "source", "task_options.source") is { } name ? Try<SentimentSource?>(() => TaskOptions.ParseSource(name)) : null;
        var path = Scalar(keys, "path", "task_options.path");
        if (path is not null)
        {
            path = ResolvePath(path);
        }

        var options = new TaskOptions
        {
            Timesteps = Option("timesteps", Limits.Timesteps),
            StepsPerEpoch = Option("steps_per_epoch", Limits.StepsPerEpoch),
            Size = Option("size", Limits.Size),
            TrainSize = Option("train_size", Limits.TrainSize),
            TestSize = Option("test_size", Limits.TestSize),
            Source = source,
            Path = path,
            NumWords = Option("num_words", Limits.NumWords),
            MaxLen = Option("max_len", Limits.MaxLen),
            EmbeddingDim = Option("embedding_dim", Limits.EmbeddingDim),
        };
        if (task is { } kind)
        {
            // The training core owns the rules for task options (ranges, which task uses which).
            var problems = new TrialConfig { Task = kind, TaskOptions = options }.Validate().Where(e => e.Field.StartsWith("task_options.", StringComparison.Ordinal));
            _errors.AddRange(problems.Select(e => new SpecError(e.Field, e.Message)));
        }

        return options;
    }

    private SweepGrid ReadGrid(Dictionary<string, YamlNode> top, SearchMethod method)
    {
        if (!top.TryGetValue("parameters", out var node))
        {
            return SweepGrid.Empty;
        }

        if (node is not YamlMappingNode mapping)
        {
            _errors.Add(new SpecError("parameters", "must be a mapping of parameter name to a value or a list of values"));
            return SweepGrid.Empty;
        }

        var listed = new Dictionary<string, YamlNode>();
        void List(string name, YamlNode value)
        {
            if (SweepKeys.Find(name) is null)
            {
                _errors.Add(new SpecError("parameters." + Shorten(name), $"unknown key (sweepable: {SweepKeys.Known})"));
            }
            else if (!listed.TryAdd(name, value))
            {
                _errors.Add(new SpecError("parameters." + name, "is listed more than once"));
            }
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (name == "task_options" && value is YamlMappingNode options)
            {
                // { task_options: { timesteps: [...] } } is task_options.timesteps (and what --set parameters.task_options.timesteps=... makes).
                foreach (var (optionNode, optionValue) in options.Children)
                {
                    List("task_options." + ((optionNode as YamlScalarNode)?.Value ?? ""), optionValue);
                }
            }
            else
            {
                List(name, value);
            }
        }

        if (listed.ContainsKey("epochs") && top.ContainsKey("epochs"))
        {
            _errors.Add(new SpecError("parameters.epochs", "is also fixed at epochs: give it in one place (fixed there, or swept here)"));
        }

        // In SweepKeys order, which is the order of results.csv's columns.
        var parameters = listed.OrderBy(p => SweepKeys.Position(p.Key)).Select(p => ReadParameter(SweepKeys.Find(p.Key)!, p.Value, method)).OfType<SweptParameter>();
        return new SweepGrid([.. parameters]);
    }

    /// <summary>
    /// A value, a list of values, or a mapping: <c>{ values | choice: [...] }</c>, or for random search
    /// <c>{ uniform | log_uniform | int_uniform: [low, high] }</c>, either with an optional <c>when: { key: value(s) }</c>.
    /// </summary>
    private SweptParameter? ReadParameter(SweepKey key, YamlNode node, SearchMethod method)
    {
        var path = "parameters." + key.Name;
        if (node is not YamlMappingNode mapping)
        {
            return ReadValues(key, node, path) is { } plain ? new SweptParameter(key.Name, plain) : null;
        }

        var forms = new Dictionary<string, YamlNode>();
        foreach (var (formNode, value) in mapping.Children)
        {
            var written = (formNode as YamlScalarNode)?.Value ?? "";
            if (ParameterForms.Contains(written))
            {
                forms[written] = value;
            }
            else
            {
                _errors.Add(new SpecError($"{path}.{Shorten(written)}", $"unknown distribution (known: {string.Join(", ", ParameterForms)})"));
            }
        }

        var given = forms.Keys.Where(k => k != "when").ToList();
        if (given.Count != 1)
        {
            if (!_errors.Any(e => e.Path.StartsWith(path + ".", StringComparison.Ordinal)))
            {
                _errors.Add(new SpecError(path, "give one of { values: [...] }, { choice: [...] }, { uniform | log_uniform | int_uniform: [low, high] }, each with an optional when: { key: value }"));
            }

            return null;
        }

        var when = forms.TryGetValue("when", out var condition) ? ReadWhen(condition, path + ".when") : null;
        var (form, body) = (given[0], forms[given[0]]);
        if (form is "values" or "choice")
        {
            return ReadValues(key, body, path) is { } values ? new SweptParameter(key.Name, values, When: when) : null;
        }

        var kindPath = $"{path}.{form}";
        var distribution = DistributionNames[form];
        if (method == SearchMethod.Grid)
        {
            return Fail<SweptParameter>(kindPath, "distributions need method: random or tpe (a grid needs a list of values)");
        }

        if (!key.Takes(distribution))
        {
            var takes = key.Whole is not null ? "int_uniform or a list" : key.Real is not null ? "uniform, log_uniform or a list" : "only a list of values";
            return Fail<SweptParameter>(kindPath, $"does not apply to {key.Name} (it takes {takes})");
        }

        if (body is not YamlSequenceNode { Children.Count: 2 } bounds)
        {
            return Fail<SweptParameter>(kindPath, "must be [low, high]");
        }

        // Ranges are the validator's, from the key's limits; here only whether they are numbers.
        return Try<double?>(() => ParseBound(bounds[0], $"{kindPath}[0]")) is { } low && Try<double?>(() => ParseBound(bounds[1], $"{kindPath}[1]")) is { } high
            ? new SweptParameter(key.Name, [], new Distribution(distribution, low, high), when)
            : null;
    }

    /// <summary><c>when: { direction: bidirectional }</c> or <c>{ task_options.timesteps: [10, 20] }</c>: every key has one of its values.</summary>
    private Dictionary<string, IReadOnlyList<string>>? ReadWhen(YamlNode node, string path)
    {
        if (node is not YamlMappingNode { Children.Count: > 0 } mapping)
        {
            return Fail<Dictionary<string, IReadOnlyList<string>>>(path, "must be a mapping of key to value(s), such as { direction: bidirectional }");
        }

        var when = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (SweepKeys.Find(name) is not { } key)
            {
                _errors.Add(new SpecError($"{path}.{Shorten(name)}", $"unknown key (known: {SweepKeys.Known})"));
            }
            else if (ReadValues(key, value, $"{path}.{name}") is { } values)
            {
                when[name] = values;
            }
        }

        return when;
    }

    /// <summary>A value or a list of values, each in its spec spelling; null (errors added) when none is usable.</summary>
    private List<string>? ReadValues(SweepKey key, YamlNode node, string path)
    {
        var items = node switch
        {
            YamlScalarNode scalar => [(scalar, path)],
            YamlSequenceNode sequence => sequence.Children.Select((child, i) => (child as YamlScalarNode, $"{path}[{i}]")).ToList(),
            _ => [],
        };
        if (node is YamlMappingNode)
        {
            return Fail<List<string>>(path, "must be a value or a list of values");
        }

        if (items.Count == 0)
        {
            return Fail<List<string>>(path, "is an empty list: give at least one value");
        }

        var values = new List<string>();
        foreach (var (scalar, itemPath) in items)
        {
            if (scalar?.Value is not { } text)
            {
                _errors.Add(new SpecError(itemPath, "must be a single value, not a list or mapping"));
                continue;
            }

            if (Try(() => key.Canonical(text, itemPath)) is { } parsed)
            {
                values.Add(parsed);
            }
        }

        var duplicates = values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            _errors.Add(new SpecError(path, $"lists {string.Join(", ", duplicates)} more than once"));
        }

        return values.Count > 0 ? [.. values.Distinct()] : null;
    }

    private static double ParseBound(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ConfigException(path, "is not a number");

    private static string Shorten(string text) =>
        new((text.Length > 40 ? text[..40] + "..." : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private Dictionary<string, YamlNode> CheckKeys(YamlMappingNode mapping, string prefix, string[] known)
    {
        var keys = new Dictionary<string, YamlNode>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(key))
            {
                _errors.Add(new SpecError(prefix + key, $"unknown key (known: {string.Join(", ", known)})"));
                continue;
            }

            keys[key] = value;
        }

        return keys;
    }

    private string? Scalar(Dictionary<string, YamlNode> keys, string key, string path)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        _errors.Add(new SpecError(path, "must be a single non-empty value"));
        return null;
    }

    private int? Int(Dictionary<string, YamlNode> keys, string key, Bound bound, string prefix = "")
    {
        var path = prefix + key;
        return Scalar(keys, key, path) is { } text ? Try<int?>(() => ParseInt(text, path, bound)) : null;
    }

    /// <summary>A whole number of any length; one outside <paramref name="bound"/> is refused with the bound.</summary>
    private static long ParseWhole(string text, string path, Bound bound)
    {
        if (text.Length > 100 || !BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ConfigException(path, $"'{(text.Length > 40 ? text[..40] + "..." : text)}' is not a whole number");
        }

        return value < bound.Min ? throw new ConfigException(path, $"must be at least {bound.Min:N0}, got {text}")
            : value > bound.Max ? throw new ConfigException(path, $"must be at most {bound.Max:N0}, got {text}")
            : (long)value;
    }

    private static int ParseInt(string text, string path, Bound bound) => (int)ParseWhole(text, path, bound);

    /// <summary>
    /// Adds the shared validator's findings (ranges, counts, memory, the name), except where the reading above already
    /// reported a problem at or around the same path.
    /// </summary>
    private void AddValidationErrors(SweepSpec spec)
    {
        foreach (var error in SweepSpecValidator.Validate(spec))
        {
            if (!_errors.Any(e => Overlaps(e.Path, error.Field)))
            {
                _errors.Add(new SpecError(error.Field, error.Field == "name" && !_named ? error.Message + " (taken from the file name; set name: in the spec)" : error.Message));
            }
        }

        static bool Overlaps(string a, string b) =>
            a == b || a.StartsWith(b + ".", StringComparison.Ordinal) || a.StartsWith(b + "[", StringComparison.Ordinal) ||
            b.StartsWith(a + ".", StringComparison.Ordinal) || b.StartsWith(a + "[", StringComparison.Ordinal);
    }

    /// <summary><c>task_options.path</c>, relative to the spec's folder; a string no file system takes is an error, not a crash.</summary>
    private string? ResolvePath(string path)
    {
        if (path.Length > Limits.MaxPathLength || path.Any(char.IsControl))
        {
            _errors.Add(new SpecError("task_options.path", $"must be a path of at most {Limits.MaxPathLength} characters without control characters"));
            return null;
        }

        try
        {
            var full = Path.GetFullPath(Path.Combine(_baseDirectory, path));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                _errors.Add(new SpecError("task_options.path", $"'{full}' does not exist"));
            }

            return full;
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            _errors.Add(new SpecError("task_options.path", $"is not a usable path ({e.Message})"));
            return null;
        }
    }

    private static bool ParseBool(string text, string path) => text switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new ConfigException(path, $"'{text}' is not true or false"),
    };

    private T? Try<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ConfigException e)
        {
            _errors.AddRange(e.Errors.Select(error => new SpecError(error.Field, error.Message)));
            return default;
        }
    }

    private T? Missing<T>(string path)
    {
        _errors.Add(new SpecError(path, "is required"));
        return default;
    }

    private T? Fail<T>(string path, string message)
    {
        _errors.Add(new SpecError(path, message));
        return default;
    }
}
