using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Models;

/// <summary>
/// A network whose forward pass is its layers in a row, so that a summary can run a dummy batch through
/// them one at a time and report each layer's output shape (see <see cref="ModelSummary"/>).
/// </summary>
public interface ILayerChain
{
    Sequential Layers { get; }
}

/// <summary>
/// A network of a conditional GAN (Mirza and Osindero 2014; seed 004's CGAN and CDCGAN): G(z, y) draws an image
/// of class y, D(x, y) judges whether x is a real image of class y. The class joins the input before the first layer
/// (<see cref="Join"/>), as in seed 004: G takes z ‖ one-hot(y) (128 + 10 = 138 numbers), a convolutional D takes the
/// image with one constant plane per class stacked on as channels (3 + 10 = 13).
/// </summary>
public abstract class ConditionalNetwork : Module<Tensor, Tensor, Tensor>, ILayerChain
{
    protected ConditionalNetwork(int classCount) => ClassCount = classCount;

    /// <summary>How many classes y can name (10 for every dataset of the catalog).</summary>
    public int ClassCount { get; }

    public abstract Sequential Layers { get; }

    /// <summary>The input with its class joined on: what the first layer sees.</summary>
    public abstract Tensor Join(Tensor input, Tensor classes);

    /// <summary>input (z or images) [batch, ...] and classes [batch] (int64) → the output for those classes.</summary>
    public sealed override Tensor forward(Tensor input, Tensor classes)
    {
        var joined = Join(input, classes);
        var output = Layers.forward(joined);
        // Autograd keeps what it needs of the joined input natively; our handle can go.
        joined.Dispose();
        return output;
    }

    /// <summary>vectors [batch, n] ‖ one-hot(classes) [batch, classCount] → [batch, n + classCount].</summary>
    public static Tensor WithOneHot(Tensor vectors, Tensor classes, int classCount)
    {
        using var scope = NewDisposeScope();
        return cat([vectors, F.one_hot(classes, classCount)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// images [batch, C, H, W] with one H×W plane per class stacked on, all ones for the image's class and zeros
    /// elsewhere → [batch, C + classCount, H, W]. Every convolution of D's first layer then sees the class at every position.
    /// </summary>
    public static Tensor WithLabelMaps(Tensor images, Tensor classes, int classCount)
    {
        using var scope = NewDisposeScope();
        var (batch, height, width) = (images.shape[0], images.shape[2], images.shape[3]);
        var maps = F.one_hot(classes, classCount).reshape(batch, classCount, 1, 1).expand(batch, classCount, height, width);
        return cat([images, maps], 1).MoveToOuterDisposeScope();
    }
}
