#!/usr/bin/python3
"""Writes ops.json: forward values and gradients computed by PyTorch, the oracle our binding is tested against.

Run by hand with Debian's python3-torch (the same libtorch 1.13 the shim links):
    /usr/bin/python3 tests/GanLab.Torch.Tests/Fixtures/make_fixtures.py
Each case stores its inputs explicitly, the output, and the gradient of sum(output * upstream)
with respect to every input, so the C# side needs no random numbers to reproduce it.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261122)
cases = []


def case(name, fn, *shapes, positive=False, probabilities=False, targets=None):
    inputs = []
    for i, shape in enumerate(shapes):
        x = torch.rand(shape, dtype=torch.float64) if (positive or probabilities) else torch.randn(shape, dtype=torch.float64)
        if positive:
            x = x + 0.5
        if probabilities:
            x = x * 0.9 + 0.05
        if targets is not None and i in targets:
            x = torch.rand(shape, dtype=torch.float64)
        x.requires_grad_(targets is None or i not in targets)
        inputs.append(x)
    out = fn(*inputs)
    upstream = torch.randn(out.shape, dtype=torch.float64)
    (out * upstream).sum().backward()
    cases.append({
        "name": name,
        "inputs": [{"shape": list(x.shape), "values": x.detach().flatten().tolist()} for x in inputs],
        "output": {"shape": list(out.shape), "values": out.detach().flatten().tolist()},
        "upstream": upstream.flatten().tolist(),
        "grads": [None if x.grad is None else x.grad.flatten().tolist() for x in inputs],
    })


case("add", lambda a, b: a + b, (3, 4), (3, 4))
case("sub", lambda a, b: a - b, (3, 4), (3, 4))
case("mul", lambda a, b: a * b, (3, 4), (3, 4))
case("div", lambda a, b: a / b, (3, 4), (3, 4), positive=True)
case("add_scalar", lambda a: a + 1.5, (5,))
case("mul_scalar", lambda a: a * -2.0, (5,))
case("rsub_scalar", lambda a: 1.0 - a, (5,))
case("matmul", lambda a, b: a @ b, (3, 5), (5, 2))
case("linear", lambda x, w, b: F.linear(x, w, b), (4, 6), (3, 6), (3,))
case("linear_no_bias", lambda x, w: F.linear(x, w), (4, 6), (3, 6))
case("relu", F.relu, (4, 5))
case("leaky_relu", lambda x: F.leaky_relu(x, 0.2), (4, 5))
case("tanh", torch.tanh, (4, 5))
case("sigmoid", torch.sigmoid, (4, 5))
case("exp", torch.exp, (6,))
case("log", torch.log, (6,), positive=True)
case("sqrt", torch.sqrt, (6,), positive=True)
case("pow", lambda a: a.pow(3.0), (6,))
case("clamp", lambda a: a.clamp(-0.5, 0.5), (8,))
case("sum", lambda a: a.sum(), (3, 4))
case("mean", lambda a: a.mean(), (3, 4))
case("sum_dim", lambda a: a.sum(dim=1), (3, 4))
case("mean_dim_keep", lambda a: a.mean(dim=0, keepdim=True), (3, 4))
case("reshape", lambda a: a.reshape(4, 3), (3, 4))
case("transpose", lambda a: a.t(), (3, 4))
case("bce_with_logits", lambda x, t: F.binary_cross_entropy_with_logits(x, t), (8, 1), (8, 1), targets={1})
case("bce_with_logits_sum", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="sum"), (8, 1), (8, 1), targets={1})
case("bce", lambda p, t: F.binary_cross_entropy(p, t), (8, 1), (8, 1), probabilities=True, targets={1})
case("mse", lambda x, t: F.mse_loss(x, t), (8, 2), (8, 2), targets={1})
# sin and cos build the rotation matrices of data augmentation; last, so the cases above keep their draws.
case("sin", torch.sin, (6,))
case("cos", torch.cos, (6,))

# Adam: three steps on a fixed quadratic; the parameters after each step.
w = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
target = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
opt = torch.optim.Adam([w], lr=0.1, betas=(0.5, 0.999), eps=1e-8, weight_decay=0.01)
trajectory = []
for _ in range(3):
    opt.zero_grad()
    ((w - target) ** 2).sum().backward()
    opt.step()
    trajectory.append(w.detach().tolist())
adam = {"initial": [0.5, -1.0, 2.0], "target": target.tolist(), "lr": 0.1, "beta1": 0.5, "beta2": 0.999,
        "eps": 1e-8, "weight_decay": 0.01, "trajectory": trajectory}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "adam": adam}, f)
print(f"wrote {len(cases)} op cases and the Adam trajectory to {path} with torch {torch.__version__}")
