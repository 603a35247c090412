using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Evaluation;

/// <summary>How the linear classifier on top of frozen features is trained.</summary>
public sealed record LinearProbeOptions
{
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>The L2 penalty on the weights: the "L2" of the DCGAN paper's L2-SVM, here on a softmax classifier.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    public int Seed { get; init; } = 1;

    /// <summary>Train on at most this many training images (the DCGAN paper also probes with few labels); null: all.</summary>
    public int? TrainImages { get; init; }
}

/// <summary>What a linear classifier reached on one set of features, on the training images it saw and on held-out ones.</summary>
public sealed record LinearProbeResult(string Features, int FeatureSize, int TrainImages, int TestImages, double TrainAccuracy, double TestAccuracy);

/// <summary>
/// What a network's features know about classes it was never told: a linear classifier is trained on the frozen
/// features of the training split and tested on the held-out split (the DCGAN paper's test of its Discriminator,
/// with an L2-regularised linear classifier). Features are standardised with the training images' mean and spread,
/// so one learning rate suits raw pixels and conv features alike.
/// </summary>
public static class LinearProbe
{
    /// <summary>
    /// D's features: every layer of its chain but the last (the real-or-fake output), in inference mode (no dropout).
    /// Images arrive in [0, 1] and are moved to the pixel range D was trained on.
    /// </summary>
    public static Func<Tensor, Tensor> DiscriminatorFeatures(Module discriminator, PixelRange range)
    {
        if (discriminator is not ILayerChain chain)
            throw new ArgumentException("this Discriminator is not a plain chain of layers (a conditional D also needs the class), so its features cannot be probed");
        var layers = chain.Layers.Layers;
        discriminator.eval();
        return images =>
        {
            using var scope = NewDisposeScope();
            var x = range.FromUnit(images);
            if (layers.Count > 0 && layers[0] is nn.Linear) x = x.flatten(1);
            for (var i = 0; i < layers.Count - 1; i++) x = layers[i].forward(x);
            return x.flatten(1).MoveToOuterDisposeScope();
        };
    }

    /// <summary>The baseline: the pixels themselves.</summary>
    public static Tensor Pixels(Tensor images) => images.flatten(1);

    public static LinearProbeResult Run(string name, Func<Tensor, Tensor> features, ImageDataset data, DatasetSplit split, LinearProbeOptions options)
    {
        var train = options.TrainImages is { } limit ? TakeBalanced(data, split.Train, limit) : split.Train;
        using var scope = NewDisposeScope();
        Tensor trainFeatures, testFeatures;
        using (no_grad())
        {
            trainFeatures = Extract(features, data, train);
            testFeatures = Extract(features, data, split.Test);
            var mean = trainFeatures.mean([0], keepdim: true);
            var spread = (trainFeatures - mean).pow(2).mean([0], keepdim: true).sqrt() + 1e-6;
            trainFeatures = (trainFeatures - mean) / spread;
            testFeatures = (testFeatures - mean) / spread;
        }
        var trainLabels = ImageTensors.Labels(data, train, Device.CPU);
        var testLabels = ImageTensors.Labels(data, split.Test, Device.CPU);
        var classes = data.Labels.Max() + 1;
        var size = trainFeatures.shape[1];

        using var init = new Torch.Generator((ulong)options.Seed);
        using var classifier = new nn.Linear(size, classes, generator: init);
        using var optimizer = new optim.Adam(classifier.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, train.Length).ToArray();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                using var step = NewDisposeScope();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray();
                var index = tensor(batch, [batch.Length]);
                optimizer.zero_grad();
                var loss = F.cross_entropy(classifier.forward(trainFeatures.index_select(0, index)), trainLabels.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
        }
        using (no_grad())
            return new LinearProbeResult(name, (int)size, train.Length, split.Test.Length,
                Accuracy(classifier, trainFeatures, trainLabels), Accuracy(classifier, testFeatures, testLabels));
    }

    private static Tensor Extract(Func<Tensor, Tensor> features, ImageDataset data, int[] indices)
    {
        var parts = new List<Tensor>();
        for (var start = 0; start < indices.Length; start += 500)
        {
            var images = ImageTensors.Gather(data, indices.AsSpan(start, Math.Min(500, indices.Length - start)), Device.CPU);
            parts.Add(features(images).to(ScalarType.Float32));
        }
        return cat(parts, 0);
    }

    private static double Accuracy(nn.Linear classifier, Tensor features, Tensor labels)
    {
        var predicted = classifier.forward(features).argmax(1).ToInt64Array();
        var truth = labels.ToInt64Array();
        return predicted.Zip(truth).Count(pair => pair.First == pair.Second) / (double)truth.Length;
    }

    /// <summary>The first images of each class in turn, so a small labelled set still has every class.</summary>
    private static int[] TakeBalanced(ImageDataset data, int[] indices, int count)
    {
        var byClass = indices.GroupBy(i => data.Labels[i]).Select(g => new Queue<int>(g)).ToList();
        var taken = new List<int>();
        while (taken.Count < count && byClass.Any(q => q.Count > 0))
            foreach (var queue in byClass)
                if (taken.Count < count && queue.Count > 0) taken.Add(queue.Dequeue());
        return [.. taken.Order()];
    }
}
