"""PyTorch reference for quirklab's bench: the same five workloads, driven over stdin/stdout as JSON lines.

Run by bench/run.ts with /usr/bin/python3 (Debian python3-torch + OpenBLAS). Thread settings come from the
environment the parent sets (torch threads via QL_TORCH_THREADS, OpenBLAS via OPENBLAS_NUM_THREADS).
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("QL_TORCH_THREADS", "1")))
torch.manual_seed(0)


def mlp(widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Linear(1024, 10))


def make(name):
    if name in ("a", "d", "e"):
        model, batch, shape = mlp([784, 256, 256, 10]), {"a": 128, "d": 256, "e": 1000}[name], (784,)
    elif name == "b":
        model, batch, shape = mlp([784, 1200, 1200, 10]), 100, (784,)
    else:
        model, batch, shape = cnn(), 64, (1, 28, 28)
    x = torch.rand((batch,) + shape)
    y = torch.randint(0, 10, (batch,))
    params = list(model.parameters())
    opt = torch.optim.SGD(params, lr=0.01)
    v = [torch.randn_like(p) for p in params]

    def train_step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    def fgsm_step():
        xi = x.clone().requires_grad_(True)
        loss = F.cross_entropy(model(xi), y, reduction="sum")
        (g,) = torch.autograd.grad(loss, xi)
        adv = (xi + 0.1 * g.sign()).clamp(0, 1)
        return float(adv[0, 0])

    def hvp_step():
        loss = F.cross_entropy(model(x), y)
        grads = torch.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * vi).sum() for g, vi in zip(grads, v))
        hv = torch.autograd.grad(dot, params)
        return float(hv[0].view(-1)[0])

    step = {"a": train_step, "b": train_step, "c": train_step, "d": fgsm_step, "e": hvp_step}[name]
    return step, batch


def measure(name, blocks, min_block_s, warmup_s):
    step, batch = make(name)
    start = time.perf_counter()
    while time.perf_counter() - start < warmup_s:
        step()
    rates = []
    for _ in range(blocks):
        n, t0 = 0, time.perf_counter()
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_block_s:
                break
        rates.append(n * batch / elapsed)
    return rates


print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    rates = measure(cmd["workload"], cmd["blocks"], cmd["minBlockSeconds"], cmd["warmupSeconds"])
    print(json.dumps({"rates": rates}), flush=True)
