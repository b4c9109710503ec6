namespace SweepCluster.Training.Configuration;

public enum DeviceKind
{
    Cpu,
    Cuda,
}
