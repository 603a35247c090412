using GanLab.Torch;

namespace GanLab.Core.Models;

/// <summary>
/// The range of G's pixels, set by its output activation: tanh gives [−1, 1], sigmoid [0, 1].
/// Real images must come in the same range, or D tells real from fake by brightness alone;
/// so the model declares it and the trainer scales the data and draws the sample grids by it.
/// </summary>
public enum PixelRange
{
    /// <summary>tanh output (seed 002's MLP GAN, the DCGANs, seed 004's models).</summary>
    MinusOneToOne,

    /// <summary>sigmoid output (seed 000/001's Keras GANs, seed 003's TensorFlow GAN).</summary>
    ZeroToOne,
}

public static class PixelRanges
{
    /// <summary>Pixels stored in [0, 1] (as every dataset keeps them) moved into this range.</summary>
    public static Tensor FromUnit(this PixelRange range, Tensor pixels) => range switch
    {
        PixelRange.MinusOneToOne => pixels * 2.0 - 1.0,
        _ => pixels.alias(),
    };

    /// <summary>A pixel of this range back in [0, 1], for drawing.</summary>
    public static float ToUnit(this PixelRange range, float value) => range switch
    {
        PixelRange.MinusOneToOne => (value + 1f) / 2f,
        _ => value,
    };

    /// <summary>Images of this range back in [0, 1], as the datasets keep them.</summary>
    public static Tensor ToUnit(this PixelRange range, Tensor images) => range switch
    {
        PixelRange.MinusOneToOne => (images + 1.0) * 0.5,
        _ => images.alias(),
    };

    /// <summary>How the lessons write the range.</summary>
    public static string Describe(this PixelRange range) => range == PixelRange.MinusOneToOne ? "[−1, 1] (tanh)" : "[0, 1] (sigmoid)";
}
