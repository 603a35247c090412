using System.Globalization;
using System.Text;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Models;

/// <summary>One row of a summary: a layer, the shape of its output for one image (the batch left out), and its parameters.</summary>
/// <param name="NonTrainable">
/// saved but not trained: frozen parameters, batch norm's running mean and variance, spectral norm's u and v.
/// Keras lists BN's moving statistics as "Non-trainable params" too; BN's step counter (num_batches_tracked) has no
/// Keras counterpart and is left out, so counts compare with the seeds' Keras summaries.
/// </param>
public sealed record LayerSummary(string Name, string Kind, long[] OutputShape, long Trainable, long NonTrainable)
{
    public long Parameters => Trainable + NonTrainable;
}

/// <summary>A network's layers in order, as Keras' model.summary() shows them, measured by running a dummy batch through them.</summary>
public sealed record NetworkSummary(string Network, long[] InputShape, IReadOnlyList<LayerSummary> Layers)
{
    public long Trainable => Layers.Sum(l => l.Trainable);
    public long NonTrainable => Layers.Sum(l => l.NonTrainable);
    public long Total => Trainable + NonTrainable;

    /// <summary>
    /// Runs a batch of two through the network's layers one at a time, in eval mode and without gradients, and records
    /// what each layer made. A conditional network's first row is the join of its input with the classes.
    /// </summary>
    public static NetworkSummary Trace(string network, Module module, Tensor input, Tensor? classes)
    {
        var chain = module as ILayerChain ?? throw new ArgumentException($"{module.GetType().Name} does not show its layers (ILayerChain)");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = module.training;
        // Eval mode: dropout off, batch norm on its running statistics, spectral norm's u and v left as they are.
        module.eval();
        try
        {
            var rows = new List<LayerSummary>();
            var x = input;
            if (module is ConditionalNetwork conditional)
            {
                x = conditional.Join(input, classes ?? throw new ArgumentException($"{network} is conditional and needs classes"));
                rows.Add(new LayerSummary("join", $"Concatenate({conditional.ClassCount} classes)", PerImage(x), 0, 0));
            }
            foreach (var (name, layer) in Leaves(chain.Layers, ""))
            {
                x = layer.forward(x);
                rows.Add(new LayerSummary(name, Kind(layer), PerImage(x), layer.parameter_count(trainable: true), NonTrainableCount(layer)));
            }
            return new NetworkSummary(network, PerImage(input), rows);
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    /// <summary>The summary as a fixed-width table, headed by the network's name and input, ended by Keras' three totals.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var nameWidth = Math.Max(20, Layers.Max(l => l.Name.Length + l.Kind.Length + 3) + 2);
        var shapeWidth = Math.Max(14, Layers.Max(l => Shape(l.OutputShape).Length) + 2);
        text.AppendLine($"{Network} (input {Shape(InputShape)})");
        text.AppendLine($"{"Layer (type)".PadRight(nameWidth)}{"Output shape".PadRight(shapeWidth)}Param #");
        foreach (var l in Layers)
            text.AppendLine($"{$"{l.Name} ({l.Kind})".PadRight(nameWidth)}{Shape(l.OutputShape).PadRight(shapeWidth)}{Count(l.Parameters)}");
        text.AppendLine($"Total params: {Count(Total)}");
        text.AppendLine($"Trainable params: {Count(Trainable)}");
        text.AppendLine($"Non-trainable params: {Count(NonTrainable)}");
        return text.ToString();
    }

    public static string Shape(long[] shape) => string.Join("×", shape);

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static long[] PerImage(Tensor x) => x.shape[1..];

    /// <summary>The layers that compute, in order: nested Sequentials are opened, every other module is one row.</summary>
    private static IEnumerable<(string Name, Module<Tensor, Tensor> Layer)> Leaves(Sequential sequential, string prefix)
    {
        foreach (var (name, child) in sequential.named_children())
        {
            if (child is Sequential inner)
                foreach (var leaf in Leaves(inner, prefix + name + ".")) yield return leaf;
            else if (child is Module<Tensor, Tensor> layer)
                yield return (prefix + name, layer);
        }
    }

    private static string Kind(Module layer) => layer is SpectralNorm sn ? $"SpectralNorm({sn.Module.GetType().Name})" : layer.GetType().Name;

    private static long NonTrainableCount(Module layer) =>
        layer.parameter_count(trainable: false)
        + layer.named_buffers().Where(b => !b.Name.EndsWith("num_batches_tracked")).Sum(b => b.Buffer.numel());
}

/// <summary>Both networks of a zoo model, traced for one image format and z size.</summary>
public sealed record ModelSummary(string Model, ImageFormat Image, int LatentSize, PixelRange Range, NetworkSummary Generator, NetworkSummary Discriminator)
{
    /// <summary>
    /// Builds the model (for its seed's image format and z size unless others are given) and traces both networks.
    /// LeakyReLU's slope and dropout change no shape or count; the values are the seeds' usual 0.2 and 0.4.
    /// </summary>
    public static ModelSummary Of(string name, ImageFormat? image = null, int? latentSize = null)
    {
        var model = GanZoo.Get(name);
        image ??= model.Formats[0];
        var latent = latentSize ?? model.SeedLatentSize;
        using var init = new Generator(0);
        using var pair = GanZoo.Create(name, image, new ModelSettings(latent, 0.2, 0.4, init));
        using var scope = NewDisposeScope();
        // Two of everything: batch norm in train mode refuses a batch of one, and eval mode is traced anyway.
        var classes = pair.IsConditional ? tensor([0L, 1L], [2]) : null;
        var generator = NetworkSummary.Trace("Generator", pair.Generator, randn([2, latent], generator: init), classes);
        var discriminator = NetworkSummary.Trace("Discriminator", pair.Discriminator, rand([2, .. pair.ImageShape], generator: init), classes);
        return new ModelSummary(name, image, latent, pair.Range, generator, discriminator);
    }

    public string ToText()
    {
        var model = GanZoo.Get(Model);
        return $"{Model} ({model.Seed}): {model.Description}\n" +
               $"images {Image}, pixels in {Range.Describe()}, z of {LatentSize}" +
               (model.Conditional ? $", conditional on {GanZoo.ClassCount} classes" : "") + "\n\n" +
               Generator.ToText() + "\n" + Discriminator.ToText();
    }
}
