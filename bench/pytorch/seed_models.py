"""The seed experiments' models and data in plain PyTorch: the peer a PyTorch user would write for
SweepCluster's training core (src/Training). Shared by step_time.py and merge_sweep.py."""

import random

import torch
from torch import nn

TIMESTEPS = 10  # the BiLSTM tutorial's n_timesteps
DEVICE = torch.device("cpu")  # where the sweep peers train: set by their --device (merge_sweep.sweep_main)
DIRECTIONS = ("forward", "backward", "bidirectional")
MERGE_MODES = ("sum", "mul", "ave", "concat")


def keras_init_(model):
    """Keras' default initialisers, as SweepCluster uses (Models/KerasInit.cs): glorot-uniform kernels,
    orthogonal recurrent kernels, zero biases with the LSTM forget-gate bias at 1."""
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LSTM):
            for name, parameter in module.named_parameters():
                if name.startswith("weight_ih"):
                    nn.init.xavier_uniform_(parameter)
                elif name.startswith("weight_hh"):
                    nn.init.orthogonal_(parameter)
                else:
                    nn.init.zeros_(parameter)
                    if name.startswith("bias_ih"):
                        # gate order i, f, g, o; Keras' single bias lives in b_ih, b_hh stays 0
                        with torch.no_grad():
                            parameter[module.hidden_size:2 * module.hidden_size].fill_(1.0)
    return model


class CumsumTagger(nn.Module):
    """The BiLSTM tutorial's tagger: an LSTM read forwards, backwards or both (merged by sum, mul, ave or
    concat), then a sigmoid unit per timestep. Input (batch, time, 1); output probabilities (batch, time)."""

    def __init__(self, direction="bidirectional", merge_mode="concat", hidden=20):
        super().__init__()
        self.direction = direction
        self.merge_mode = merge_mode
        bidirectional = direction == "bidirectional"
        self.lstm = nn.LSTM(1, hidden, batch_first=True, bidirectional=bidirectional)
        width = 2 * hidden if bidirectional and merge_mode == "concat" else hidden
        self.head = nn.Linear(width, 1)
        keras_init_(self)

    def forward(self, x):
        if self.direction == "forward":
            sequence, _ = self.lstm(x)
        elif self.direction == "backward":
            # read back to front, then put every output back at its input position
            reversed_sequence, _ = self.lstm(x.flip(1))
            sequence = reversed_sequence.flip(1)
        else:
            output, _ = self.lstm(x)
            forwards, backwards = output.chunk(2, dim=-1)
            if self.merge_mode == "sum":
                sequence = forwards + backwards
            elif self.merge_mode == "mul":
                sequence = forwards * backwards
            elif self.merge_mode == "ave":
                sequence = (forwards + backwards) / 2
            else:
                sequence = output
        return torch.sigmoid(self.head(sequence)).squeeze(-1)


BCE = nn.BCELoss()


def train_step(model, optimizer, x, y):
    """One optimizer step on sigmoid outputs with binary cross-entropy, as the tutorials train.
    Returns (loss, probabilities)."""
    probabilities = model(x)
    loss = BCE(probabilities, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item(), probabilities


def cumsum_batch(batch_size, timesteps=TIMESTEPS):
    """The tutorial's get_sequence: uniform [0, 1) values; label 1 once the running sum exceeds timesteps / 4."""
    x = torch.rand(batch_size, timesteps, 1)
    y = (x.cumsum(dim=1) > timesteps / 4).float().squeeze(-1)
    return x, y


class CnnLstm(nn.Module):
    """The CNN-LSTM chapter's model: per frame Conv2d(2 filters, 2x2) + ReLU, MaxPool 2x2, flatten; an LSTM
    over the frames; a sigmoid unit on the last step. Input (batch, time, 1, size, size); output (batch,)."""

    def __init__(self, size=50, hidden=50):
        super().__init__()
        pooled = (size - 1) // 2
        self.frames = nn.Sequential(nn.Conv2d(1, 2, kernel_size=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.lstm = nn.LSTM(2 * pooled * pooled, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)
        keras_init_(self)

    def forward(self, video):
        batch, time = video.shape[:2]
        features = self.frames(video.flatten(0, 1)).view(batch, time, -1)  # TimeDistributed
        sequence, _ = self.lstm(features)
        return torch.sigmoid(self.head(sequence[:, -1])).squeeze(-1)


class MovingSquare:
    """The chapter's videos: a line grows one column per frame, left to right or right to left, its row
    random-walking by -1/0/+1 inside the frame. Kept as row walks and rendered per batch (as SweepCluster's
    MovingSquareTask does), so 1000 videos cost 200 KB rather than 500 MB."""

    def __init__(self, count, size=50, seed=0):
        rng = random.Random(seed)
        self.size = size
        walks, directions = [], []
        for _ in range(count):
            rows = [rng.randrange(size)]
            directions.append(rng.random() < 0.5)
            for _ in range(1, size):
                rows.append(rng.randint(max(0, rows[-1] - 1), min(size - 1, rows[-1] + 1)))
            walks.append(rows)
        self.rows = torch.tensor(walks)
        self.left_to_right = torch.tensor(directions)
        # frame t shows the first t+1 columns: every (t, j) with j <= t
        self._frame, self._column = torch.tril_indices(size, size)

    def __len__(self):
        return len(self.rows)

    def to(self, device):
        """Keeps the walks on the device, where batch() then renders: a GPU peer with its data resident."""
        self.rows, self.left_to_right = self.rows.to(device), self.left_to_right.to(device)
        self._frame, self._column = self._frame.to(device), self._column.to(device)
        return self

    def batch(self, indices):
        """Frames (batch, time, 1, size, size) and labels (1 = left to right) of the given videos."""
        rows, left_to_right = self.rows[indices], self.left_to_right[indices]
        size, count = self.size, len(indices)
        device = self.rows.device
        steps = torch.arange(size, device=device)
        columns = torch.where(left_to_right[:, None], steps, size - 1 - steps)
        video = torch.zeros(count, size, 1, size, size, device=device)
        which = torch.arange(count, device=device)[:, None]
        video[which, self._frame, 0, rows[:, self._column], columns[:, self._column]] = 1.0
        return video, left_to_right.float()
