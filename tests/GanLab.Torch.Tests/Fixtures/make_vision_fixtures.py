#!/usr/bin/python3
"""Writes vision.json: PyTorch's values for F.affine_grid and F.grid_sample, which rotate training images.

Run by hand with Debian's python3-torch (the same libtorch 1.13 the shim links):
    /usr/bin/python3 tests/GanLab.Torch.Tests/Fixtures/make_vision_fixtures.py
Cases have the layout of gan_ops.json: inputs, output, upstream, and the gradient of sum(output * upstream)
per input, in float64. Each case also names its settings (mode, padding_mode, align_corners) for the C# side.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261124)
cases = []


def tensor_json(x):
    return {"shape": list(x.shape), "values": x.detach().flatten().tolist()}


def case(name, fn, inputs, **settings):
    inputs = [x.detach().clone().requires_grad_(True) for x in inputs]
    out = fn(*inputs)
    upstream = torch.randn(out.shape, dtype=torch.float64)
    (out * upstream).sum().backward()
    cases.append({
        "name": name,
        "settings": settings,
        "inputs": [tensor_json(x) for x in inputs],
        "output": tensor_json(out),
        "upstream": upstream.flatten().tolist(),
        "grads": [x.grad.flatten().tolist() for x in inputs],
    })


def rotation(degrees, scale=1.0, shift=(0.0, 0.0)):
    a = math.radians(degrees)
    return [[scale * math.cos(a), -scale * math.sin(a), shift[0]], [scale * math.sin(a), scale * math.cos(a), shift[1]]]


# Affine grids: rotations as augmentation draws them, plus scale and shift, on a non-square image so x and y cannot be confused.
theta = torch.tensor([rotation(17.0), rotation(-20.0, 0.9, (0.1, -0.2))], dtype=torch.float64)
for align in (False, True):
    case(f"affine_grid_align_{str(align).lower()}", lambda t: F.affine_grid(t, [2, 3, 5, 6], align_corners=align), [theta],
         size=[2, 3, 5, 6], align_corners=align)

# Sampling at random points, some outside [-1, 1] so that every padding mode matters.
image = torch.randn(2, 3, 5, 6, dtype=torch.float64)
grid = torch.rand(2, 4, 7, 2, dtype=torch.float64) * 2.4 - 1.2
for mode in ("bilinear", "nearest", "bicubic"):
    for padding in ("zeros", "border", "reflection"):
        for align in (False, True):
            if mode == "bicubic" and padding != "border":
                continue  # one bicubic case is enough: augmentation uses bilinear
            case(f"grid_sample_{mode}_{padding}_align_{str(align).lower()}",
                 lambda x, g: F.grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=align), [image, grid],
                 mode=mode, padding_mode=padding, align_corners=align)

# The whole rotation as the trainer does it: grid from rotations, bilinear, border padding.
angles = torch.tensor([20.0, -7.5], dtype=torch.float64)
theta = torch.tensor([rotation(float(a)) for a in angles], dtype=torch.float64)
case("rotate_bilinear_border", lambda x, t: F.grid_sample(x, F.affine_grid(t, [2, 3, 5, 6], align_corners=False),
                                                           mode="bilinear", padding_mode="border", align_corners=False),
     [image, theta], mode="bilinear", padding_mode="border", align_corners=False, size=[2, 3, 5, 6])

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vision.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {path} with torch {torch.__version__}")
