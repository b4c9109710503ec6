using Polly;
using Polly.Retry;

namespace SweepCluster.Grains.Cluster;

/// <summary>The one retry shape used against shared infrastructure (Redis, grain storage): exponential, jittered, each retry reported.</summary>
internal static class Retries
{
    /// <param name="onRetry">Called with the failure and the number of the attempt about to be made.</param>
    public static ResiliencePipeline Exponential(
        int attempts, TimeSpan firstDelay, TimeSpan maxDelay, Action<Exception?, int> onRetry, Func<Exception, bool>? retryOn = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle(retryOn ?? (e => e is not OperationCanceledException)),
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = firstDelay,
                MaxDelay = maxDelay,
                UseJitter = true,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
