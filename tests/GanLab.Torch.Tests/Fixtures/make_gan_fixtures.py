#!/usr/bin/python3
"""Writes gan_ops.json: PyTorch's values for the layers of the convolutional, conditional and Wasserstein GANs.

Run by hand with Debian's python3-torch (the same libtorch 1.13 the shim links):
    /usr/bin/python3 tests/GanLab.Torch.Tests/Fixtures/make_gan_fixtures.py
Op cases have the layout of ops.json (inputs, output, upstream, gradient of sum(output * upstream) per input);
spectral norm, batch-norm running statistics and init fans get sections of their own.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(20261123)
cases = []


def tensor_json(x):
    return {"shape": list(x.shape), "values": x.detach().flatten().tolist()}


def case(name, fn, *shapes):
    inputs = [torch.randn(shape, dtype=torch.float64, requires_grad=True) for shape in shapes]
    out = fn(*inputs)
    upstream = torch.randn(out.shape, dtype=torch.float64)
    (out * upstream).sum().backward()
    cases.append({
        "name": name,
        "inputs": [tensor_json(x) for x in inputs],
        "output": tensor_json(out),
        "upstream": upstream.flatten().tolist(),
        "grads": [None if x.grad is None else x.grad.flatten().tolist() for x in inputs],
    })


# Convolutions: the kernel sizes the course's models use (3, 4, 5, 7), strides, padding, dilation, groups, bias on/off.
case("conv2d_3x3_pad1", lambda x, w, b: F.conv2d(x, w, b, stride=1, padding=1), (2, 3, 6, 6), (4, 3, 3, 3), (4,))
case("conv2d_4x4_stride2_no_bias", lambda x, w: F.conv2d(x, w, None, stride=2, padding=1), (2, 3, 8, 8), (5, 3, 4, 4))
case("conv2d_5x5_same", lambda x, w, b: F.conv2d(x, w, b, padding="same"), (1, 2, 7, 7), (3, 2, 5, 5), (3,))
case("conv2d_4x4_same", lambda x, w, b: F.conv2d(x, w, b, padding="same"), (1, 2, 6, 6), (3, 2, 4, 4), (3,))
case("conv2d_7x7_pad3", lambda x, w, b: F.conv2d(x, w, b, padding=3), (1, 1, 9, 9), (2, 1, 7, 7), (2,))
case("conv2d_5x5_valid", lambda x, w: F.conv2d(x, w, None, padding="valid"), (1, 2, 8, 8), (2, 2, 5, 5))
case("conv2d_dilation2_groups2", lambda x, w, b: F.conv2d(x, w, b, stride=1, padding=2, dilation=2, groups=2),
     (2, 4, 9, 9), (6, 2, 3, 3), (6,))
case("conv_transpose2d_4x4_s2_p1", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1), (2, 4, 3, 3), (4, 3, 4, 4), (3,))
case("conv_transpose2d_5x5_s2_p2_op1_no_bias", lambda x, w: F.conv_transpose2d(x, w, None, stride=2, padding=2, output_padding=1),
     (1, 3, 4, 4), (3, 2, 5, 5))
case("conv_transpose2d_3x3_groups2_dilation2", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=1, padding=1, groups=2, dilation=2),
     (2, 4, 5, 5), (4, 3, 3, 3), (6,))
case("conv_transpose2d_7x7", lambda x, w, b: F.conv_transpose2d(x, w, b), (1, 2, 3, 3), (2, 1, 7, 7), (1,))

# Batch normalization with batch statistics (training) and with fixed running statistics (eval).
RUNNING_MEAN = [0.1, -0.2, 0.3, 0.0]
RUNNING_VAR = [0.5, 2.0, 1.0, 0.25]


def running(n):
    return (torch.tensor(RUNNING_MEAN[:n], dtype=torch.float64), torch.tensor(RUNNING_VAR[:n], dtype=torch.float64))


case("batch_norm_1d_train", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=1e-5), (6, 4), (4,), (4,))
case("batch_norm_2d_train", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=1e-3), (3, 2, 4, 4), (2,), (2,))
case("batch_norm_2d_train_no_affine", lambda x: F.batch_norm(x, None, None, training=True), (3, 2, 4, 4))
case("batch_norm_1d_eval", lambda x, w, b: F.batch_norm(x, *running(4), w, b, training=False, eps=1e-5), (5, 4), (4,), (4,))
case("batch_norm_2d_eval", lambda x, w, b: F.batch_norm(x, *running(2), w, b, training=False, eps=1e-5), (2, 2, 3, 3), (2,), (2,))

# Activations, embeddings, shapes.
EMBEDDING_INDICES = [[0, 2], [1, 2], [3, 0]]
case("elu", lambda x: F.elu(x, alpha=0.7), (4, 5))
case("embedding", lambda w: F.embedding(torch.tensor(EMBEDDING_INDICES), w), (4, 3))
case("permute", lambda x: x.permute(2, 0, 1), (2, 3, 4))
case("expand", lambda x: x.expand(3, 4), (3, 1))
case("stack", lambda a, b: torch.stack([a, b], dim=1), (2, 3), (2, 3))
case("upsample_nearest", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), (1, 2, 3, 3))
case("norm", lambda x: x.norm(), (3, 4))
case("norm_dim", lambda x: x.norm(2, dim=1), (3, 4))
case("norm_dims_keepdim", lambda x: x.norm(2, dim=[1, 2], keepdim=True), (2, 3, 4))


# WGAN-GP: (‖∇D(x̂)‖₂ − 1)² through a small conv critic, differentiated again into the critic's weights.
def gradient_penalty(x_hat, conv_w, conv_b, lin_w, lin_b):
    score = F.linear(F.leaky_relu(F.conv2d(x_hat, conv_w, conv_b, stride=2, padding=1), 0.2).flatten(1), lin_w, lin_b)
    grad, = torch.autograd.grad(score, x_hat, torch.ones_like(score), create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


case("gradient_penalty", gradient_penalty, (4, 1, 6, 6), (3, 1, 3, 3), (3,), (1, 27), (1,))


# Spectral normalization with a fixed starting u: one training forward, as torch.nn.utils.spectral_norm does it.
def spectral(name, module, input_shape):
    module = module.double()
    nn.utils.spectral_norm(module)
    with torch.no_grad():
        module.weight_orig.copy_(torch.randn_like(module.weight_orig))
        module.weight_u.copy_(F.normalize(torch.randn_like(module.weight_u), dim=0))
    u0 = module.weight_u.clone()
    x = torch.randn(input_shape, dtype=torch.float64, requires_grad=True)
    out = module(x)
    upstream = torch.randn(out.shape, dtype=torch.float64)
    (out * upstream).sum().backward()
    return {
        "name": name,
        "weight": tensor_json(module.weight_orig),
        "bias": module.bias.detach().flatten().tolist(),
        "u0": u0.tolist(),
        "input": tensor_json(x),
        "output": tensor_json(out),
        "upstream": upstream.flatten().tolist(),
        "normalized_weight": module.weight.detach().flatten().tolist(),
        "u": module.weight_u.tolist(),
        "v": module.weight_v.tolist(),
        "grad_weight": module.weight_orig.grad.flatten().tolist(),
        "grad_bias": module.bias.grad.flatten().tolist(),
        "grad_input": x.grad.flatten().tolist(),
    }


spectral_cases = [
    spectral("linear", nn.Linear(5, 3), (4, 5)),
    spectral("conv2d", nn.Conv2d(2, 4, 3, stride=2, padding=1), (2, 2, 5, 5)),
    spectral("conv_transpose2d", nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1), (2, 4, 3, 3)),
]

# BatchNorm2d's running statistics after three training batches, then an eval forward.
def batch_norm_run(momentum):
    bn = nn.BatchNorm2d(3, eps=1e-3, momentum=momentum).double()
    batches = [torch.randn(4, 3, 2, 2, dtype=torch.float64) for _ in range(3)]
    for b in batches:
        bn(b)
    bn.eval()
    x = torch.randn(2, 3, 2, 2, dtype=torch.float64)
    return {"momentum": momentum, "batches": [tensor_json(b) for b in batches], "eval_input": tensor_json(x),
            "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
            "num_batches_tracked": int(bn.num_batches_tracked), "eval_output": bn(x).detach().flatten().tolist()}


batch_norm_runs = [batch_norm_run(0.2), batch_norm_run(None)]

# Fans and gains as torch.nn.init computes them, for the weight shapes of the course's layers.
fans = []
for label, weight in [("linear", nn.Linear(100, 50).weight), ("conv2d", nn.Conv2d(3, 64, 4).weight),
                      ("conv_transpose2d", nn.ConvTranspose2d(128, 64, 4).weight),
                      ("conv_transpose2d_groups", nn.ConvTranspose2d(8, 6, 3, groups=2).weight)]:
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(weight)
    fans.append({"layer": label, "shape": list(weight.shape), "fan_in": fan_in, "fan_out": fan_out})
gains = [{"nonlinearity": n, "param": p, "gain": nn.init.calculate_gain(n, p)}
         for n, p in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
                      ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("conv_transpose2d", None)]]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gan_ops.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "spectral_norm": spectral_cases, "batch_norm_runs": batch_norm_runs,
               "fans": fans, "gains": gains}, f)
print(f"wrote {len(cases)} op cases, {len(spectral_cases)} spectral-norm cases, {len(batch_norm_runs)} batch-norm runs to {path} "
      f"with torch {torch.__version__}")
