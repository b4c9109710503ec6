"""The merge-mode sweep as a capable PyTorch user packs it: each variant's seeds stacked on a leading trial axis
(every weight a (trials, ...) tensor, the recurrence one `baddbmm` per timestep and direction), the per-trial
losses summed so that each trial's gradients and Adam moments stay its own (Adam is elementwise), one pack per
variant spread over a multiprocessing pool of worker processes with one torch thread each. Same models, data,
initialisers and optimizer as merge_sweep.py (seed_models.py); each trial evaluated on 100 held-out sequences at
the end. Prints one JSON object on stdout with the wall seconds of each run."""

import time

import torch
import torch.nn.functional as F
from torch import nn

import seed_models
from seed_models import TIMESTEPS
from merge_sweep import VARIANTS, sweep_main


class PackedCumsumTagger(nn.Module):
    """K independent CumsumTaggers of one variant as one module: weights (K, ...), inputs (K, batch, time, 1)."""

    def __init__(self, trials, direction, merge_mode, hidden):
        super().__init__()
        self.direction, self.merge_mode, self.hidden = direction, merge_mode, hidden
        directions = 2 if direction == "bidirectional" else 1
        self.w_ih = nn.ParameterList(nn.Parameter(torch.empty(trials, 1, 4 * hidden)) for _ in range(directions))
        self.w_hh = nn.ParameterList(nn.Parameter(torch.empty(trials, hidden, 4 * hidden)) for _ in range(directions))
        self.bias = nn.ParameterList(nn.Parameter(torch.zeros(trials, 1, 4 * hidden)) for _ in range(directions))
        width = 2 * hidden if direction == "bidirectional" and merge_mode == "concat" else hidden
        self.w_out = nn.Parameter(torch.empty(trials, width, 1))
        self.b_out = nn.Parameter(torch.zeros(trials, 1, 1))
        self._keras_init(trials, width)

    def _keras_init(self, trials, width):
        """Each trial drawn as seed_models.keras_init_ draws one model: glorot-uniform input and head kernels,
        orthogonal recurrent kernels, zero biases with the forget gate's at 1."""
        hidden = self.hidden
        with torch.no_grad():
            for w_ih, w_hh, bias in zip(self.w_ih, self.w_hh, self.bias):
                w_ih.uniform_(-(6.0 / (1 + 4 * hidden)) ** 0.5, (6.0 / (1 + 4 * hidden)) ** 0.5)  # fan_in 1, fan_out 4H
                for k in range(trials):
                    w_hh[k].copy_(nn.init.orthogonal_(torch.empty(4 * hidden, hidden)).T)
                bias[:, :, hidden:2 * hidden].fill_(1.0)
            bound = (6.0 / (width + 1)) ** 0.5
            self.w_out.uniform_(-bound, bound)

    def _read(self, x, index, reverse):
        """One direction over the sequence: x (K, B, T, 1) -> hidden states (K, B, T, H)."""
        trials, batch, steps, _ = x.shape
        if reverse:
            x = x.flip(2)
        # The input projection of every timestep at once, then one batched product per timestep.
        projected = (x.reshape(trials, batch * steps, 1) @ self.w_ih[index] + self.bias[index]).view(trials, batch, steps, -1)
        h = x.new_zeros(trials, batch, self.hidden)
        c = x.new_zeros(trials, batch, self.hidden)
        outputs = []
        for t in range(steps):
            gates = torch.baddbmm(projected[:, :, t], h, self.w_hh[index])
            i, f, g, o = gates.chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outputs.append(h)
        sequence = torch.stack(outputs, dim=2)
        return sequence.flip(2) if reverse else sequence

    def forward(self, x):
        """Logits (K, B, T)."""
        if self.direction == "forward":
            sequence = self._read(x, 0, reverse=False)
        elif self.direction == "backward":
            sequence = self._read(x, 0, reverse=True)
        else:
            forwards, backwards = self._read(x, 0, reverse=False), self._read(x, 1, reverse=True)
            sequence = {
                "sum": lambda: forwards + backwards,
                "mul": lambda: forwards * backwards,
                "ave": lambda: (forwards + backwards) / 2,
                "concat": lambda: torch.cat([forwards, backwards], dim=-1),
            }[self.merge_mode]()
        trials, batch, steps, width = sequence.shape
        logits = torch.baddbmm(self.b_out, sequence.reshape(trials, batch * steps, width), self.w_out)
        return logits.view(trials, batch, steps)


def packed_batch(generators, batch_size):
    """Each trial's own sequences from its own generator: (K, B, T, 1) inputs and (K, B, T) labels."""
    x = torch.stack([torch.rand(batch_size, TIMESTEPS, 1, generator=g) for g in generators]).to(seed_models.DEVICE)
    y = (x.cumsum(dim=2) > TIMESTEPS / 4).float().squeeze(-1)
    return x, y


def train_pack(pack):
    """One variant's trials, start to finish, as one pack: seeds, build, train epoch by epoch, evaluate."""
    direction, merge_mode, seeds, epochs, hidden = pack
    torch.manual_seed(seeds[0])
    model = PackedCumsumTagger(len(seeds), direction, merge_mode, hidden).to(seed_models.DEVICE)
    generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    last = None
    for _ in range(epochs):
        x, y = packed_batch(generators, 1)
        logits = model(x)
        per_trial = F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(dim=(1, 2))
        optimizer.zero_grad()
        per_trial.sum().backward()  # each trial's slice of every weight gets its own loss's gradient
        optimizer.step()
        last = per_trial.detach()

    with torch.no_grad():
        x, y = packed_batch(generators, 100)
        logits = model(x)
        test_loss = F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(dim=(1, 2))
        test_accuracy = ((logits > 0) == (y > 0.5)).float().mean(dim=(1, 2))
    return [(direction, merge_mode, seed, last[k].item(), test_loss[k].item(), test_accuracy[k].item())
            for k, seed in enumerate(seeds)]


def run_sweep(pool, seeds, epochs, hidden, seed_base):
    # Bidirectional packs cost about twice a one-way pack: the dearest first, so the two workers finish together.
    packs = sorted(((d, m, [seed_base + s for s in range(seeds)], epochs, hidden) for d, m in VARIANTS),
                   key=lambda p: p[0] != "bidirectional")
    start = time.perf_counter()
    results = [trial for pack in pool.imap_unordered(train_pack, packs) for trial in pack]
    return time.perf_counter() - start, results


def main():
    sweep_main(__doc__, 32, train_pack, lambda hidden: ("bidirectional", "concat", [-1, -2], 5, hidden), run_sweep)


if __name__ == "__main__":
    main()
