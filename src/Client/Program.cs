using System.CommandLine;
using SweepCluster.Client.Commands;

var root = new RootCommand("SweepCluster: hyperparameter sweeps of recurrent models on Orleans")
{
    RunCommand.Create(),
    WatchCommand.Create(),
    ListCommand.Create(),
    CancelCommand.Create(),
    ResultsCommand.Create(),
    ReportCommand.Create(),
    ForgetCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
