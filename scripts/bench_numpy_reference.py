"""The b (MLP) and c (LeNet) train steps of ../shared/bench written directly in numpy (float64),
timed like the Lua scripts, printing RESULT lines in the same format: the floor luatorch's
overhead is measured against (target: luatorch <= 1.15x these times).

    python scripts/bench_numpy_reference.py [--threads N]

The maths is Torch's step (zeroGradParameters, forward, ClassNLL on LogSoftMax, backward
including the first layer's gradInput, updateParameters(0.01)); the initial weights are numpy
random numbers, so the final losses differ from Torch7's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from numpy.lib.stride_tricks import as_strided
from threadpoolctl import threadpool_limits


def timed(step, n: int, warm: int) -> tuple[float, float, float, float]:
    for _ in range(warm):
        step()
    ts = []
    loss = 0.0
    for _ in range(n):
        t = time.perf_counter()
        loss = step()
        ts.append(time.perf_counter() - t)
    return statistics.median_low(ts), min(ts), max(ts), loss


def uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    s = 1 / np.sqrt(fan_in)
    return rng.uniform(-s, s, shape)


def log_softmax_nll(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and gradient w.r.t. z of ClassNLL(LogSoftMax(z)) averaged over the batch."""
    m = z.max(1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(1, keepdims=True)
    logp = z - m - np.log(s)
    n = z.shape[0]
    loss = -logp[np.arange(n), y].mean()
    g = e / s
    g[np.arange(n), y] -= 1
    g /= n
    return float(loss), g


class Linear:
    def __init__(self, rng: np.random.Generator, i: int, o: int) -> None:
        self.w = uniform(rng, (o, i), i)
        self.b = uniform(rng, (o,), i)
        self.gw = np.zeros_like(self.w)
        self.gb = np.zeros_like(self.b)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        y = x @ self.w.T
        y += self.b
        return y

    def backward(self, g: np.ndarray) -> np.ndarray:
        self.gw += g.T @ self.x
        self.gb += g.sum(0)
        return g @ self.w

    def params(self):
        return [(self.w, self.gw), (self.b, self.gb)]


class ReLU:
    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return np.maximum(x, 0)

    def backward(self, g: np.ndarray) -> np.ndarray:
        return g * (self.x > 0)

    def params(self):
        return []


class Conv:
    """im2col + one matrix product for the whole batch; col2im by kernel-offset slices."""

    def __init__(self, rng: np.random.Generator, c: int, o: int, k: int) -> None:
        self.k = k
        self.w = uniform(rng, (o, c * k * k), c * k * k)
        self.b = uniform(rng, (o,), c * k * k)
        self.gw = np.zeros_like(self.w)
        self.gb = np.zeros_like(self.b)

    def forward(self, x: np.ndarray) -> np.ndarray:
        B, C, H, W = x.shape
        k = self.k
        oh, ow = H - k + 1, W - k + 1
        s = x.strides
        win = as_strided(x, (C, k, k, B, oh, ow), (s[1], s[2], s[3], s[0], s[2], s[3]))
        self.cols = win.reshape(C * k * k, B * oh * ow)  # one copy
        self.shape = (B, C, H, W, oh, ow)
        y = self.w @ self.cols
        y += self.b[:, None]
        return y.reshape(-1, B, oh * ow).transpose(1, 0, 2).reshape(B, -1, oh, ow)

    def backward(self, g: np.ndarray) -> np.ndarray:
        B, C, H, W, oh, ow = self.shape
        k = self.k
        gT = np.ascontiguousarray(g.transpose(1, 0, 2, 3)).reshape(g.shape[1], -1)
        self.gw += gT @ self.cols.T
        self.gb += gT.sum(1)
        gc = (self.w.T @ gT).reshape(C, k, k, B, oh, ow)
        gx = np.zeros((C, B, H, W))
        for i in range(k):
            for j in range(k):
                gx[:, :, i : i + oh, j : j + ow] += gc[:, i, j]
        return gx.transpose(1, 0, 2, 3)

    def params(self):
        return [(self.w, self.gw), (self.b, self.gb)]


class MaxPool2:
    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        y = np.maximum(
            np.maximum(x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2]),
            np.maximum(x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2]),
        )
        self.y = y
        return y

    def backward(self, g: np.ndarray) -> np.ndarray:
        gx = np.zeros(self.x.shape)
        taken = np.zeros(self.y.shape, dtype=bool)
        for i in (0, 1):
            for j in (0, 1):
                hit = (self.x[:, :, i::2, j::2] == self.y) & ~taken
                gx[:, :, i::2, j::2] = g * hit
                taken |= hit
        return gx

    def params(self):
        return []


class View:
    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, g: np.ndarray) -> np.ndarray:
        return g.reshape(self.shape)

    def params(self):
        return []


def make_step(layers, x: np.ndarray, y: np.ndarray):
    params = [p for layer in layers for p in layer.params()]

    def step() -> float:
        for _, g in params:
            g.fill(0)
        h = x
        for layer in layers:
            h = layer.forward(h)
        loss, g = log_softmax_nll(h, y)
        for layer in reversed(layers):
            g = layer.backward(g)
        for p, gp in params:
            p -= 0.01 * gp
        return loss

    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="OpenBLAS threads (default: one per core, as luatorch's kernels)",
    )
    args = ap.parse_args()
    if args.threads is None:
        args.threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    rng = np.random.default_rng(1)
    with threadpool_limits(args.threads):
        mlp = [
            Linear(rng, 784, 1024),
            ReLU(),
            Linear(rng, 1024, 1024),
            ReLU(),
            Linear(rng, 1024, 10),
        ]
        step = make_step(mlp, rng.standard_normal((128, 784)), rng.integers(0, 10, 128))
        med, lo, hi, loss = timed(step, 50, 3)
        print(
            f"RESULT b_mlp_train median_ms_per_step={med * 1e3:.3f} min={lo * 1e3:.3f} "
            f"max={hi * 1e3:.3f} steps=50 final_loss={loss:.4f} threads={args.threads}"
        )
        lenet = [
            Conv(rng, 3, 32, 5),
            ReLU(),
            MaxPool2(),
            Conv(rng, 32, 64, 5),
            ReLU(),
            MaxPool2(),
            View(),
            Linear(rng, 1600, 256),
            ReLU(),
            Linear(rng, 256, 10),
        ]
        step = make_step(lenet, rng.standard_normal((64, 3, 32, 32)), rng.integers(0, 10, 64))
        med, lo, hi, loss = timed(step, 20, 2)
        print(
            f"RESULT c_lenet_train median_ms_per_step={med * 1e3:.3f} min={lo * 1e3:.3f} "
            f"max={hi * 1e3:.3f} steps=20 final_loss={loss:.4f} threads={args.threads}"
        )


if __name__ == "__main__":
    main()
