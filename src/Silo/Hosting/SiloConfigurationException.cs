namespace SweepCluster.Silo.Hosting;

/// <summary>A setting the silo cannot start with; the message names it (<c>Section:Key</c>) and what is wrong.</summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
