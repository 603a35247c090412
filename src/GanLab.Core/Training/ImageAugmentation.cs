using GanLab.Torch;
using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training;

/// <summary>
/// Seed 004's data augmentation: each real image of a batch turned by a random angle up to ±20° and/or
/// mirrored left–right with probability ½, on the device, with the run's random stream (so a seed still fixes the run).
/// Rotation goes through an affine grid and bilinear sampling (F.affine_grid + F.grid_sample, checked against PyTorch):
/// one kernel for a whole batch with a different angle per image, and smooth where nearest-pixel lookup would
/// make the jagged edges D could learn to tell apart. Corners that turn in from outside repeat the edge pixels
/// (border padding): black for digits and garments, whose edges are black, and no black wedges on CIFAR photos.
/// </summary>
public static class ImageAugmentation
{
    /// <summary>Seed 004 rotates by up to 20 degrees either way.</summary>
    public const double MaxRotationDegrees = 20;

    public static IReadOnlyList<string> Names { get; } = ["none", "flip", "rotate", "flip+rotate"];

    /// <summary>
    /// The batch augmented as <paramref name="augmentation"/> says (one of <see cref="Names"/>), in its own shape:
    /// [N, C, H, W], or flat [N, C·H·W] as an MLP takes it when <paramref name="imageShape"/> gives (C, H, W).
    /// Draws N flip coins, then N angles, only for what is switched on: "none" leaves the stream untouched.
    /// </summary>
    public static Tensor Apply(Tensor images, string augmentation, Generator random, long[]? imageShape = null)
    {
        var (flip, rotate) = augmentation switch
        {
            "none" => (false, false),
            "flip" => (true, false),
            "rotate" => (false, true),
            "flip+rotate" => (true, true),
            _ => throw new ArgumentException($"augmentation '{augmentation}' is unknown; allowed: {string.Join(", ", Names)}", nameof(augmentation)),
        };
        if (!flip && !rotate) return images;
        var shape = images.shape;
        var n = shape[0];
        var batch = imageShape is null ? images : images.reshape([n, .. imageShape]);
        if (flip) batch = FlipHorizontally(batch, rand([n], device: images.device, generator: random).lt(0.5));
        if (rotate) batch = Rotate(batch, (rand([n], device: images.device, generator: random) * 2.0 - 1.0) * MaxRotationDegrees);
        return batch.reshape(shape);
    }

    /// <summary>Mirrors left–right the images whose entry of <paramref name="which"/> [N] is nonzero; the others are returned as they are.</summary>
    public static Tensor FlipHorizontally(Tensor images, Tensor which)
    {
        var width = images.shape[3];
        var mirrored = images.index_select(3, arange(width - 1, -1, -1, device: images.device));
        // A 0/1 blend rather than a select: with weights exactly 0 and 1 every pixel is copied bit for bit.
        var chosen = which.to(images.dtype).reshape(images.shape[0], 1, 1, 1);
        return mirrored * chosen + images * (1.0 - chosen);
    }

    /// <summary>Turns image i of [N, C, H, W] by degrees[i] about its centre, keeping its size (augmentation draws both signs alike).</summary>
    public static Tensor Rotate(Tensor images, Tensor degrees)
    {
        var radians = degrees.to(images.dtype) * (Math.PI / 180);
        var (cos, sin, zero) = (radians.cos(), radians.sin(), zeros([images.shape[0]], images.dtype, images.device));
        // Each output pixel (x, y) reads the input at R(θ)·(x, y), in the [−1, 1] coordinates of affine_grid.
        var theta = stack([stack([cos, -sin, zero], 1), stack([sin, cos, zero], 1)], 1);
        var grid = F.affine_grid(theta, images.shape, align_corners: false);
        return F.grid_sample(images, grid, nn.GridSampleMode.Bilinear, nn.GridSamplePaddingMode.Border, align_corners: false);
    }
}
