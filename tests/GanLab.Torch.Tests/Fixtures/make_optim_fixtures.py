#!/usr/bin/python3
"""Writes optim.json: parameter trajectories of PyTorch's optimizers, the oracle for ours.

Run by hand with Debian's python3-torch (the same libtorch 1.13 the shim links):
    /usr/bin/python3 tests/GanLab.Torch.Tests/Fixtures/make_optim_fixtures.py
Every case trains the same small least-squares problem (a linear layer's weight and bias) in float64
and records both parameters after each step, so the C# side can follow the trajectory step by step.
A case may change the learning rate part-way ("lr_change"), as lessons do between runs.
Each case also stores the optimizer's final per-parameter state (exp_avg, momentum_buffer, ...), so the
state our binding reads out of libtorch, and saves in checkpoints, is checked field by field.
"""
import json
import os

import torch

torch.manual_seed(20261122)
x = torch.randn(6, 3, dtype=torch.float64)
y = torch.randn(6, 2, dtype=torch.float64)
w0 = torch.randn(2, 3, dtype=torch.float64)
b0 = torch.randn(2, dtype=torch.float64)
STEPS = 6

cases = []


def case(name, make, lr_change=None):
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    opt = make([w, b])
    trajectory = []
    for step in range(STEPS):
        if lr_change is not None and step == lr_change["at_step"]:
            for group in opt.param_groups:
                group["lr"] = lr_change["lr"]
        opt.zero_grad()
        # Mean squared error of x Wᵀ + b against y: curved enough that every optimizer's state matters.
        ((x @ w.t() + b - y) ** 2).mean().backward()
        opt.step()
        trajectory.append(w.detach().flatten().tolist() + b.detach().flatten().tolist())
    # Python keeps Adam's step as a float tensor and RMSprop's as an int; libtorch keeps an integer for both.
    state = [{field: (value.flatten().tolist() if torch.is_tensor(value) and value.dim() > 0 else [float(value)])
              for field, value in opt.state[p].items() if value is not None}
             for p in (w, b)]
    cases.append({"name": name, "lr_change": lr_change, "trajectory": trajectory, "state": state})


# The optimizer settings are repeated by name in OptimizersAgainstPyTorchTests.cs.
case("sgd_plain", lambda p: torch.optim.SGD(p, lr=0.1))
case("sgd_momentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
case("sgd_momentum_dampening_weight_decay", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.5, dampening=0.1, weight_decay=0.01))
case("sgd_nesterov_weight_decay", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True))
case("sgd_momentum_lr_change", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), lr_change={"at_step": 3, "lr": 0.01})
case("rmsprop_default", lambda p: torch.optim.RMSprop(p, lr=0.01))
case("rmsprop_wgan", lambda p: torch.optim.RMSprop(p, lr=5e-3, alpha=0.9))
case("rmsprop_momentum_centered_weight_decay", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.95, eps=1e-6, weight_decay=0.01, momentum=0.5, centered=True))
case("rmsprop_centered", lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True))
case("adam_gan", lambda p: torch.optim.Adam(p, lr=2e-2, betas=(0.5, 0.999)))
case("adam_weight_decay", lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.1))
case("adam_lr_change", lambda p: torch.optim.Adam(p, lr=2e-2, betas=(0.5, 0.999)), lr_change={"at_step": 2, "lr": 5e-3})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim.json")
with open(path, "w") as f:
    json.dump({
        "torch": torch.__version__,
        "x": {"shape": list(x.shape), "values": x.flatten().tolist()},
        "y": {"shape": list(y.shape), "values": y.flatten().tolist()},
        "weight": {"shape": list(w0.shape), "values": w0.flatten().tolist()},
        "bias": {"shape": list(b0.shape), "values": b0.flatten().tolist()},
        "cases": cases,
    }, f)
print(f"wrote {len(cases)} optimizer trajectories to {path} with torch {torch.__version__}")
