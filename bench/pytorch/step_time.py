"""ms per optimizer step of W1 (the seed loop: bidirectional concat, hidden 20, batch 1) or W3 (the CNN-LSTM,
50x50 video, batch 32) in plain PyTorch, timed as bench/TrainingBenchmark.cs times SweepCluster's trainer:
one untimed warm-up epoch, then whole epochs until the step count is reached; median of the repeats.
Prints one JSON object on stdout."""

import argparse
import json
import os
import statistics
import time

import torch

from seed_models import CnnLstm, CumsumTagger, MovingSquare, cumsum_batch, train_step


def seed_loop(device):
    """W1: one fresh sequence per epoch, one step per epoch, loss and accuracy read back every epoch."""
    model = CumsumTagger("bidirectional", "concat", hidden=20).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch():
        x, y = (t.to(device) for t in cumsum_batch(1))
        loss, probabilities = train_step(model, optimizer, x, y)
        return loss, ((probabilities > 0.5) == (y > 0.5)).sum().item()

    return epoch, 1


def moving_square(train_size, device, batch_size=32):
    """W3: a fixed training set shuffled every epoch, rendered batch by batch (on the device: the data resident there)."""
    data = MovingSquare(train_size, size=50, seed=0).to(device)
    model = CnnLstm(size=50, hidden=50).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps_per_epoch = (len(data) + batch_size - 1) // batch_size

    def epoch():
        loss_sum, correct = 0.0, 0
        for indices in torch.randperm(len(data), device=device).split(batch_size):
            x, y = data.batch(indices)
            loss, probabilities = train_step(model, optimizer, x, y)
            loss_sum += loss * len(indices)
            correct += ((probabilities > 0.5) == (y > 0.5)).sum().item()
        return loss_sum / len(data), correct

    return epoch, steps_per_epoch


def time_steps(build, steps):
    epoch, steps_per_epoch = build()
    epoch()  # warm-up: first-use allocations and kernel selection are not what this measures
    done = 0
    start, cpu = time.perf_counter(), time.process_time()
    while done < steps:
        epoch()
        done += steps_per_epoch
    wall = time.perf_counter() - start
    # CPU seconds per wall second: the cores this configuration really kept busy (BLAS may run its own threads)
    return wall * 1000 / done, done, (time.process_time() - cpu) / wall


def gemm_gflops(n=1024):
    """float32 1024x1024 matmul rate, best of 5: this build's BLAS on this many threads."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        a @ b
        best = max(best, 2.0 * n ** 3 / (time.perf_counter() - start) / 1e9)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workload", choices=["W1", "W3"], default="W3")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--steps", type=int, help="timed steps (default: W1 250, W3 32, as bench/Workload.cs)")
    parser.add_argument("--repeats", type=int, help="timed runs, median reported (default: W1 3, W3 1)")
    parser.add_argument("--train-size", type=int, default=1000, help="W3: training videos")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    w1 = args.workload == "W1"
    steps = args.steps or (250 if w1 else 32)
    repeats = args.repeats or (3 if w1 else 1)
    device = torch.device(args.device)
    build = (lambda: seed_loop(device)) if w1 else (lambda: moving_square(args.train_size, device))
    runs = [time_steps(build, steps) for _ in range(repeats)]
    print(json.dumps({
        "workload": args.workload,
        "threads": torch.get_num_threads(),
        "allocator": "jemalloc" if "jemalloc" in os.environ.get("LD_PRELOAD", "") else "default",
        "torch": torch.__version__,
        "device": args.device,
        "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else "",
        "steps": runs[0][1],
        "ms_per_step": statistics.median(ms for ms, _, _ in runs),
        "runs_ms_per_step": [ms for ms, _, _ in runs],
        "cores_busy": statistics.median(cores for _, _, cores in runs),
        "gemm_gflops": gemm_gflops(),
    }))


if __name__ == "__main__":
    main()
