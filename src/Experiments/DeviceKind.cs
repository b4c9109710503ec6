namespace SweepCluster.Experiments;

public enum DeviceKind
{
    Cpu,
    Cuda,
}
