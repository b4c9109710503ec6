"""The BiLSTM tutorial's merge-mode comparison in plain PyTorch: 6 variants (forward, backward, bidirectional
sum/mul/ave/concat) x N seeds of the seed loop (one fresh sequence per epoch, batch 1, hidden 20, Adam 1e-3),
each trial evaluated on 100 held-out sequences at the end, spread over a multiprocessing pool of worker
processes with one torch thread each. Prints one JSON object on stdout with the wall seconds of each run."""

import argparse
import json
import multiprocessing
import statistics
import time

import torch

import seed_models
from seed_models import BCE, CumsumTagger, cumsum_batch, train_step

VARIANTS = [("forward", "concat"), ("backward", "concat")] + [
    ("bidirectional", mode) for mode in ("sum", "mul", "ave", "concat")]


def train_trial(trial):
    """One trial, start to finish: seed, build, train epoch by epoch, evaluate."""
    direction, merge_mode, seed, epochs, hidden = trial
    torch.manual_seed(seed)
    model = CumsumTagger(direction, merge_mode, hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for _ in range(epochs):
        x, y = cumsum_batch(1)
        loss, probabilities = train_step(model, optimizer, x, y)
        history.append((loss, ((probabilities > 0.5) == (y > 0.5)).float().mean().item()))

    model.eval()
    with torch.no_grad():
        x, y = cumsum_batch(100)
        probabilities = model(x)
        test_loss = BCE(probabilities, y).item()
        test_accuracy = ((probabilities > 0.5) == (y > 0.5)).float().mean().item()
    return direction, merge_mode, seed, history[-1][0], test_loss, test_accuracy


def one_thread_per_worker():
    torch.set_num_threads(1)


def run_sweep(pool, seeds, epochs, hidden, seed_base):
    trials = [(d, m, seed_base + s, epochs, hidden) for d, m in VARIANTS for s in range(seeds)]
    start = time.perf_counter()
    results = list(pool.imap_unordered(train_trial, trials))
    return time.perf_counter() - start, results


class InProcess:
    """The pool's two calls, run in this process: CUDA work stays in one process (a forked worker cannot use CUDA)."""

    def map(self, work, items, chunksize=1):
        return [work(item) for item in items]

    def imap_unordered(self, work, items):
        return (work(item) for item in items)


def sweep_main(description, default_seeds, work, warm_up, run):
    """The command line both sweep peers share: parse, start the pool (one torch thread per worker), warm each worker up
    untimed with warm_up(hidden) on work, time run(pool, seeds, epochs, hidden, seed_base) per repeat, print the JSON.
    With --device cuda the sweep runs in this process, on the GPU (set in seed_models.DEVICE for the work to read)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (1 torch thread each)")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda: one process trains every pack on the GPU")
    parser.add_argument("--seeds", type=int, default=default_seeds, help="seeds per variant")
    parser.add_argument("--epochs", type=int, default=250)
    parser.add_argument("--hidden", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of the whole sweep")
    args = parser.parse_args()

    start = time.perf_counter()
    if args.device != "cpu":
        seed_models.DEVICE = torch.device(args.device)
        args.workers = 1
        pool = InProcess()
        pool.map(work, [warm_up(args.hidden)])
        startup = time.perf_counter() - start
        runs = [run(pool, args.seeds, args.epochs, args.hidden, 1000 * (r + 1)) for r in range(args.repeats)]
    else:
        with multiprocessing.Pool(args.workers, initializer=one_thread_per_worker) as pool:
            # Untimed: a short piece of work per worker, so that each has made its first tensors and kernels.
            pool.map(work, [warm_up(args.hidden)] * args.workers, chunksize=1)
            startup = time.perf_counter() - start
            runs = [run(pool, args.seeds, args.epochs, args.hidden, 1000 * (r + 1)) for r in range(args.repeats)]

    accuracy = {}
    for direction, merge_mode, _, _, _, test_accuracy in runs[-1][1]:
        name = direction if direction != "bidirectional" else f"bidirectional-{merge_mode}"
        accuracy.setdefault(name, []).append(test_accuracy)
    print(json.dumps({
        "trials": len(runs[-1][1]),
        "epochs": args.epochs,
        "workers": args.workers,
        "device": args.device,
        "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else "",
        "torch": torch.__version__,
        "startup_s": startup,
        "wall_s": [wall for wall, _ in runs],
        "median_wall_s": statistics.median(wall for wall, _ in runs),
        "test_accuracy": {name: statistics.mean(values) for name, values in accuracy.items()},
    }))


def main():
    sweep_main(__doc__, 8, train_trial, lambda hidden: ("bidirectional", "concat", -1, 5, hidden), run_sweep)


if __name__ == "__main__":
    main()
