"""Does packing pay for the embedding-LSTM sentiment trials? One optimizer step of a trial alone (nn.Embedding,
nn.LSTM, a one-unit head, Adam: the model src/Training builds) against K trials of one shape packed as a capable
PyTorch user would pack them (every weight (K, ...), each trial's tokens looked up in its own embedding table, the
input projection one bmm, the recurrence one baddbmm per timestep and reader, the per-trial losses summed), on one
torch thread, at sweeps/sentiment.yaml's shapes (5,000 words, 300 tokens, embedding 15, batch 64). Prints per trial-step
milliseconds and the speed-up packing gives, as one JSON object on stdout (and a table on stderr)."""

import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

WORDS, LENGTH, EMBEDDING, BATCH = 5000, 300, 15, 64


def alone_step(hidden, bidirectional):
    """One trial's training step, as a closure over its model, optimizer and a batch."""
    embedding = nn.Embedding(WORDS, EMBEDDING)
    lstm = nn.LSTM(EMBEDDING, hidden, batch_first=True, bidirectional=bidirectional)
    head = nn.Linear(2 * hidden if bidirectional else hidden, 1)
    optimizer = torch.optim.Adam([*embedding.parameters(), *lstm.parameters(), *head.parameters()])
    tokens, labels = torch.randint(0, WORDS, (BATCH, LENGTH)), torch.randint(0, 2, (BATCH,)).float()

    def step():
        optimizer.zero_grad()
        output, _ = lstm(embedding(tokens))
        # forward: the state after the last token; backward half (bidirectional): after reading back to the first
        features = torch.cat([output[:, -1, :hidden], output[:, 0, hidden:]], -1) if bidirectional else output[:, -1]
        F.binary_cross_entropy_with_logits(head(features).squeeze(-1), labels).backward()
        optimizer.step()

    return step


def packed_step(hidden, bidirectional, trials):
    """K trials' training step as one computation over a leading trial axis."""
    readers = 2 if bidirectional else 1
    tables = nn.Parameter(torch.randn(trials * WORDS, EMBEDDING))  # trial k's table is rows k*WORDS ...
    w_ih = [nn.Parameter(torch.randn(trials, EMBEDDING, 4 * hidden) * 0.1) for _ in range(readers)]
    w_hh = [nn.Parameter(torch.randn(trials, hidden, 4 * hidden) * 0.1) for _ in range(readers)]
    bias = [nn.Parameter(torch.zeros(trials, 1, 4 * hidden)) for _ in range(readers)]
    w_out = nn.Parameter(torch.randn(trials, readers * hidden, 1) * 0.1)
    b_out = nn.Parameter(torch.zeros(trials, 1))
    optimizer = torch.optim.Adam([tables, *w_ih, *w_hh, *bias, w_out, b_out])
    offsets = (torch.arange(trials) * WORDS).view(trials, 1, 1)
    tokens, labels = torch.randint(0, WORDS, (trials, BATCH, LENGTH)) + offsets, torch.randint(0, 2, (trials, BATCH)).float()

    def step():
        optimizer.zero_grad()
        embedded = F.embedding(tokens.view(trials, BATCH * LENGTH), tables)  # (K, B*T, E)
        states = []
        for reader in range(readers):
            projected = (embedded.bmm(w_ih[reader]) + bias[reader]).view(trials, BATCH, LENGTH, 4 * hidden)
            # Timestep-major and contiguous: selecting a timestep of (K, B, T, 4H) would make autograd allocate the whole
            # tensor again for each step's gradient.
            steps = projected.permute(2, 0, 1, 3).contiguous().unbind(0)
            if reader == 1:
                steps = steps[::-1]
            h = torch.zeros(trials, BATCH, hidden)
            c = torch.zeros(trials, BATCH, hidden)
            for x in steps:
                i, f, g, o = torch.baddbmm(x, h, w_hh[reader]).chunk(4, -1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            states.append(h)
        logits = torch.cat(states, -1).bmm(w_out).squeeze(-1) + b_out
        F.binary_cross_entropy_with_logits(logits, labels, reduction="none").mean(1).sum().backward()
        optimizer.step()

    return step


def seconds_per_step(step, steps):
    step()  # untimed: first-call allocations
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hidden", type=int, nargs="+", default=[25, 100])
    parser.add_argument("--trials", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--steps", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rows = []
    for hidden in args.hidden:
        for bidirectional in (False, True):
            alone = seconds_per_step(alone_step(hidden, bidirectional), args.steps)
            for trials in args.trials:
                packed = seconds_per_step(packed_step(hidden, bidirectional, trials), args.steps) / trials
                rows.append({"hidden": hidden, "reader": "bidirectional concat" if bidirectional else "forward", "trials": trials,
                             "alone_ms": round(alone * 1000, 2), "packed_ms_per_trial": round(packed * 1000, 2),
                             "speedup": round(alone / packed, 3)})
                row = rows[-1]
                print(f"hidden {hidden:>3} {row['reader']:<20} K={trials:<3} alone {row['alone_ms']:8.1f} ms/step   "
                      f"packed {row['packed_ms_per_trial']:8.1f} ms per trial-step   {row['speedup']:.2f}x", file=sys.stderr, flush=True)
    json.dump({"torch": torch.__version__, "batch": BATCH, "length": LENGTH, "embedding": EMBEDDING, "rows": rows}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
