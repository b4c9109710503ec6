using System.CommandLine;
using SweepCluster.Client.Commands;

var root = new RootCommand("SweepCluster: hyperparameter sweeps of recurrent models")
{
    RunCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
