namespace SweepCluster.Observability.Tests;

/// <summary>One query (<c>targets[].expr</c>) of one panel of a dashboard, as written in the JSON.</summary>
public sealed record DashboardQuery(string Dashboard, string Panel, string RefId, string Expr)
{
    public override string ToString() => $"{Dashboard} / \"{Panel}\" / {RefId}: {Expr}";
}
