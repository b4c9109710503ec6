namespace SweepCluster.Experiments;

/// <summary>
/// The spelling of every enum value in sweep specs and reports (<c>moving-square</c>, <c>bidirectional</c>),
/// and parsing that names the offending field.
/// </summary>
public static class Names
{
    private static readonly Dictionary<TaskKind, string> TaskNames = new()
    {
        [TaskKind.Cumsum] = "cumsum",
        [TaskKind.MovingSquare] = "moving-square",
        [TaskKind.Sentiment] = "sentiment",
    };

    public static string Of(TaskKind task) => TaskNames[task];

    public static string Of(Direction direction) => direction.ToString().ToLowerInvariant();

    public static string Of(MergeMode mode) => mode.ToString().ToLowerInvariant();

    public static string Of(DeviceKind device) => device.ToString().ToLowerInvariant();

    public static string Of(OptimizerKind optimizer) => optimizer.ToString().ToLowerInvariant();

    public static TaskKind ParseTask(string value, string field = "task") =>
        Parse(value, field, TaskNames.ToDictionary(p => p.Value, p => p.Key));

    public static Direction ParseDirection(string value, string field = "direction") =>
        Parse(value, field, Enum.GetValues<Direction>().ToDictionary(Of));

    public static MergeMode ParseMergeMode(string value, string field = "merge_mode") =>
        Parse(value, field, Enum.GetValues<MergeMode>().ToDictionary(Of));

    public static DeviceKind ParseDevice(string value, string field = "device") =>
        Parse(value, field, Enum.GetValues<DeviceKind>().ToDictionary(Of));

    private static T Parse<T>(string value, string field, Dictionary<string, T> byName)
    {
        if (byName.TryGetValue(value.Trim().ToLowerInvariant(), out var parsed))
        {
            return parsed;
        }

        throw new ConfigException(field, $"'{value}' is not one of {string.Join(", ", byName.Keys)}");
    }
}
