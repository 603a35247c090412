using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Evaluation;

/// <summary>
/// A LeNet-style classifier for one image dataset: the course's stand-in for the Inception network. Its
/// penultimate layer (<see cref="FeatureSize"/> ReLU units) is the feature space of FID and of precision and
/// recall; its softmax gives p(y|x) for the classifier score and the class histogram. Values measured in this
/// space are on a different scale from Inception FID and must never be compared with published Inception numbers.
/// Two 5×5 convolutions (32 and 64 filters, no padding) each followed by 2×2 max pooling, then 128 units, then
/// one logit per class: the shape of LeCun's LeNet-5 and Caffe's MNIST example, small enough to train in
/// minutes on one CPU core.
/// </summary>
public sealed class DomainClassifier : Module<Tensor, Tensor>
{
    /// <summary>
    /// Bumped whenever the architecture changes: cached classifiers are keyed by it, so a changed network is
    /// retrained instead of loaded into the wrong shape. A changed training recipe needs no bump: the cache compares
    /// the options saved with each classifier against the recipe (DomainClassifiers).
    /// </summary>
    public const int Version = 2;
    public const int FeatureSize = 128;

    private readonly Sequential convolutions;
    private readonly Linear hidden;
    private readonly Linear output;

    /// <param name="dropout">probability of zeroing each feature before the output layer while training (against
    /// overfitting a small training set); the features themselves, which FID reads, are taken before it</param>
    public DomainClassifier(int channels, int height, int width, int classes, double dropout = 0, RandomStream? init = null)
    {
        Dropout = dropout is >= 0 and < 1 ? dropout : throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        if (height < 16 || width < 16) throw new ArgumentException($"a {height}×{width} image is too small for two 5×5 convolutions with pooling");
        (Channels, Height, Width, Classes) = (channels, height, width, classes);
        convolutions = register_module("convolutions", new Sequential(
            ("conv1", new Conv2d(channels, 32, 5, generator: init)), ("relu1", new ReLU()), ("pool1", new MaxPool2d(2)),
            ("conv2", new Conv2d(32, 64, 5, generator: init)), ("relu2", new ReLU()), ("pool2", new MaxPool2d(2)),
            ("flatten", new Flatten())));
        // Each 5×5 valid convolution takes 4 pixels off a side, each pooling halves it: 28 → 24 → 12 → 8 → 4.
        long side(int pixels) => ((pixels - 4) / 2 - 4) / 2;
        hidden = register_module("hidden", new Linear(64 * side(height) * side(width), FeatureSize, generator: init));
        output = register_module("output", new Linear(FeatureSize, classes, generator: init));
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    public double Dropout { get; }

    /// <summary>Draws the dropout masks while training (a stream on the training device); unused in eval mode.</summary>
    internal RandomStream? Masks { get; set; }

    /// <summary>Images [N, C, H, W] in [0, 1] → the penultimate layer's activations [N, FeatureSize].</summary>
    public Tensor Features(Tensor images)
    {
        using var flat = convolutions.forward(images);
        using var preActivation = hidden.forward(flat);
        return preActivation.relu();
    }

    /// <summary>Images [N, C, H, W] in [0, 1] → class logits [N, Classes].</summary>
    public override Tensor forward(Tensor images)
    {
        using var features = Features(images);
        if (!training || Dropout == 0) return output.forward(features);
        using var dropped = F.dropout(features, Dropout, training: true, Masks);
        return output.forward(dropped);
    }

    /// <summary>Logits from features already computed, so one pass gives both.</summary>
    public Tensor Logits(Tensor features) => output.forward(features);
}
