using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

/// <summary>The architectures of the zoo against the seeds' published Keras summaries, and what every model must be to train.</summary>
public class ZooModelTests
{
    public static TheoryData<string, ImageFormat> ModelsAndFormats()
    {
        var data = new TheoryData<string, ImageFormat>();
        foreach (var model in GanZoo.Models)
            foreach (var format in model.Formats) data.Add(model.Name, format);
        return data;
    }

    [Fact]
    public void Keras_GAN_parameter_counts_equal_seed_001s_summaries()
    {
        var summary = ModelSummary.Of("keras-gan");
        Assert.Equal((1_164_289L, 1_164_289L, 0L), (summary.Generator.Total, summary.Generator.Trainable, summary.Generator.NonTrainable));
        Assert.Equal((40_705L, 40_705L, 0L), (summary.Discriminator.Total, summary.Discriminator.Trainable, summary.Discriminator.NonTrainable));
        // Seed 001's rows, layer by layer (Keras prints channels last: (None, 14, 14, 64) is 64×14×14 here).
        Assert.Equal([633_472L, 262_272L, 262_272L, 6_273L], summary.Generator.Layers.Where(l => l.Parameters > 0).Select(l => l.Parameters));
        Assert.Equal([640L, 36_928L, 3_137L], summary.Discriminator.Layers.Where(l => l.Parameters > 0).Select(l => l.Parameters));
    }

    [Fact]
    public void Keras_GAN_output_shapes_equal_seed_001s_summaries()
    {
        var summary = ModelSummary.Of("keras-gan");
        Assert.Equal(["6272", "6272", "128×7×7", "128×14×14", "128×14×14", "128×28×28", "128×28×28", "1×28×28", "1×28×28"],
            summary.Generator.Layers.Select(l => NetworkSummary.Shape(l.OutputShape)));
        Assert.Equal(["64×14×14", "64×14×14", "64×14×14", "64×7×7", "64×7×7", "64×7×7", "3136", "1"],
            summary.Discriminator.Layers.Select(l => NetworkSummary.Shape(l.OutputShape)));
    }

    [Fact]
    public void The_DCGAN_summary_counts_BatchNorms_statistics_as_non_trainable_as_seed_001s_Keras_summary_does()
    {
        var summary = ModelSummary.Of("dcgan");
        Assert.Equal((2_330_944L, 2_305_472L, 25_472L), (summary.Generator.Total, summary.Generator.Trainable, summary.Generator.NonTrainable));
        Assert.Equal((212_865L, 0L), (summary.Discriminator.Total, summary.Discriminator.NonTrainable));
        Assert.Equal(["12544", "12544", "12544", "256×7×7", "128×7×7", "128×7×7", "128×7×7", "64×14×14", "64×14×14", "64×14×14", "1×28×28", "1×28×28"],
            summary.Generator.Layers.Select(l => NetworkSummary.Shape(l.OutputShape)));
    }

    [Fact]
    public void Seed_000s_variant_has_64_then_128_filters_and_one_upsampling_from_14x14()
    {
        var summary = ModelSummary.Of("keras-gan-000");
        var d = summary.Discriminator.Layers;
        Assert.Equal(["64×14×14", "128×7×7"], d.Where(l => l.Kind == "Conv2d").Select(l => NetworkSummary.Shape(l.OutputShape)));
        var g = summary.Generator.Layers;
        Assert.Equal("128×14×14", NetworkSummary.Shape(g.Single(l => l.Kind == "Unflatten").OutputShape));
        Assert.Single(g, l => l.Kind == "ConvTranspose2d");
        Assert.Equal(PixelRange.ZeroToOne, summary.Range);
        // Counted by hand from the layers: 1·64·9 + 64, 64·128·9 + 128, 6272 + 1; 100·25088 + 25088, 128·128·16 + 128, 128·49 + 1.
        Assert.Equal((80_769L, 2_802_433L), (summary.Discriminator.Total, summary.Generator.Total));
    }

    [Fact]
    public void The_TensorFlow_GAN_has_seed_003s_layers()
    {
        var summary = ModelSummary.Of("tf-gan");
        Assert.Equal(128, summary.LatentSize);
        Assert.Equal(["32×14×14", "64×7×7", "1024", "128", "1"],
            summary.Discriminator.Layers.Where(l => l.Parameters > 0).Select(l => NetworkSummary.Shape(l.OutputShape)));
        Assert.Equal(["1024", "3136", "32×14×14", "1×28×28"],
            summary.Generator.Layers.Where(l => l.Parameters > 0).Select(l => NetworkSummary.Shape(l.OutputShape)));
        Assert.Equal(4, summary.Discriminator.Layers.Count(l => l.Kind == "ELU")); // all but the last of D's five layers
        Assert.Equal(3, summary.Generator.Layers.Count(l => l.Kind == "ELU"));
        Assert.Equal("Sigmoid", summary.Generator.Layers[^1].Kind);
        // Dropout after each hidden layer, none after G's output layer.
        Assert.Equal((4, 3), (summary.Discriminator.Layers.Count(l => l.Kind == "Dropout"), summary.Generator.Layers.Count(l => l.Kind == "Dropout")));
    }

    [Theory]
    [InlineData("cgan", 3, 32, "138", "3082")]
    [InlineData("cgan", 1, 28, "138", "794")]
    [InlineData("cdcgan", 3, 32, "138", "13×32×32")]
    [InlineData("sn-cdcgan", 3, 32, "138", "13×32×32")]
    [InlineData("cdcgan", 1, 28, "138", "11×28×28")]
    public void Conditional_models_join_z_with_a_one_hot_class_and_images_with_label_planes_as_seed_004_prints(
        string model, int channels, int side, string generatorIn, string discriminatorIn)
    {
        var summary = ModelSummary.Of(model, new ImageFormat(channels, side, side), latentSize: 128);
        Assert.Equal(generatorIn, NetworkSummary.Shape(summary.Generator.Layers[0].OutputShape));
        Assert.Equal(discriminatorIn, NetworkSummary.Shape(summary.Discriminator.Layers[0].OutputShape));
        Assert.All(new[] { summary.Generator, summary.Discriminator }, n => Assert.Equal("join", n.Layers[0].Name));
        Assert.Equal(model.EndsWith("dcgan") ? $"{channels}×{side}×{side}" : $"{channels * side * side}",
            NetworkSummary.Shape(summary.Generator.Layers[^1].OutputShape));
    }

    [Theory]
    [MemberData(nameof(ModelsAndFormats))]
    public void Every_summary_ends_in_the_image_for_G_and_one_raw_score_for_D_and_counts_every_parameter(string model, ImageFormat image)
    {
        var summary = ModelSummary.Of(model, image);
        using var init = new GanLab.Torch.Generator(0);
        using var pair = GanZoo.Create(model, image, new ModelSettings(summary.LatentSize, 0.2, 0.4, init));
        Assert.Equal(pair.ImageShape, summary.Generator.Layers[^1].OutputShape);
        Assert.Equal([1L], summary.Discriminator.Layers[^1].OutputShape);
        Assert.Equal(pair.Generator.parameter_count(), summary.Generator.Trainable);
        Assert.Equal(pair.Discriminator.parameter_count(), summary.Discriminator.Trainable);
        Assert.Contains(summary.Generator.Layers[^1].Kind, new[] { "Tanh", "Sigmoid" });
    }

    [Theory]
    [MemberData(nameof(ModelsAndFormats))]
    public void Every_D_outputs_a_raw_score_so_it_also_serves_as_a_WGAN_critic(string model, ImageFormat image)
    {
        var d = ModelSummary.Of(model, image).Discriminator.Layers;
        // Keras' Dense(1, sigmoid) becomes a logit: the BCE losses apply the sigmoid, a critic must not be squashed.
        Assert.Contains(d[^1].Kind, new[] { "Linear", "SpectralNorm(Linear)" });
        Assert.DoesNotContain(d, l => l.Kind is "Sigmoid" or "Tanh");
    }

    [Theory]
    [MemberData(nameof(ModelsAndFormats))]
    public void A_models_batch_norm_flag_matches_its_critics_layers_and_rules_out_WGAN_GP(string model, ImageFormat image)
    {
        var hasBatchNorm = ModelSummary.Of(model, image).Discriminator.Layers.Any(l => l.Kind.StartsWith("BatchNorm"));
        Assert.Equal(hasBatchNorm, GanZoo.Get(model).CriticHasBatchNorm);
        var problems = new GanTrainingOptions { Model = model, Loss = "wgan-gp" }.Validate();
        if (hasBatchNorm) Assert.Contains(problems, p => p.Contains($"model '{model}' has batch norm in D") && p.Contains("cdcgan"));
        else Assert.Empty(problems);
        Assert.Empty(new GanTrainingOptions { Model = model, Loss = "wasserstein" }.Validate());
    }

    [Theory]
    [MemberData(nameof(ModelsAndFormats))]
    public void G_makes_pixels_in_the_range_its_model_declares(string model, ImageFormat image)
    {
        using var scope = NewDisposeScope();
        using var init = new GanLab.Torch.Generator(1);
        using var pair = GanZoo.Create(model, image, new ModelSettings(GanZoo.Get(model).SeedLatentSize, 0.2, 0.4, init));
        pair.Generator.eval();
        using var noGrad = no_grad();
        var classes = pair.IsConditional ? tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 10)).ToArray(), [16]) : null;
        var images = pair.Generate(randn([16, GanZoo.Get(model).SeedLatentSize], generator: init) * 3.0, classes);
        var (min, max) = (images.min().item(), images.max().item());
        Assert.InRange(max, 0, 1);
        // Measured, not declared: a tanh output goes below 0 for some pixel of 16 random images, a sigmoid output never does.
        if (pair.Range == PixelRange.ZeroToOne) Assert.InRange(min, 0, 1);
        else Assert.InRange(min, -1, -1e-3);
        Assert.Equal(model is "keras-gan" or "keras-gan-000" or "tf-gan" ? PixelRange.ZeroToOne : PixelRange.MinusOneToOne, pair.Range);
    }

    /// <summary>
    /// The fix that made seed 001's Keras GAN train like the tutorial: with PyTorch's default start (kernels drawn
    /// within 1/√fan_in, biases non-zero) its sigmoid G went black and stayed black in a measured reference run
    /// (benchmarks/keras_gan_reference.py). Keras starts every Dense and Conv kernel Glorot-uniform, every bias at zero.
    /// </summary>
    [Theory]
    [InlineData("keras-gan")]
    [InlineData("keras-gan-000")]
    public void The_Keras_GANs_start_as_Keras_does_and_carry_the_tutorials_recipe(string model)
    {
        using var init = new Generator(11);
        var pair = GanZoo.Create(model, ImageFormat.Grey28, new ModelSettings(100, 0.2, 0.4, init));
        var kernels = 0;
        foreach (var network in new[] { pair.Generator, pair.Discriminator })
            foreach (var (name, p) in network.named_parameters())
            {
                var values = p.ToFloatArray();
                if (name.EndsWith("bias")) Assert.All(values, v => Assert.Equal(0f, v));
                if (!name.EndsWith("weight") || p.shape.Length < 2) continue;
                // PyTorch's fans (dim 1 is fan in, also for a transposed convolution's [in, out, k, k]) equal Keras' here.
                var field = p.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
                var bound = Math.Sqrt(6.0 / (p.shape[1] * field + p.shape[0] * field));
                Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, bound));
                if (values.Length >= 2_000)
                {
                    // U(−b, b) has standard deviation b/√3: PyTorch's default start would be several times narrower or wider.
                    var std = Math.Sqrt(values.Select(v => (double)v * v).Average());
                    Assert.InRange(std / (bound / Math.Sqrt(3)), 0.9, 1.1);
                }
                kernels++;
            }
        Assert.True(kernels >= 4, $"{model}: only {kernels} kernels found");

        var recipe = GanTrainingOptions.For(model);
        Assert.Equal((2e-4, 1.0, 128, 0.4), (recipe.LearningRate, recipe.RealLabel, recipe.BatchSize, recipe.Dropout));
        Assert.Equal(new GanTrainingOptions().LearningRate, GanTrainingOptions.For("mlp-gan").LearningRate); // other models keep the defaults
    }

    [Fact]
    public void A_model_asked_for_images_it_cannot_make_names_the_models_that_can()
    {
        var e = Assert.Throws<ArgumentException>(() => GanZoo.Create("keras-gan", ImageFormat.Colour32, new ModelSettings(100, 0.2, 0.4)));
        Assert.Contains("model 'keras-gan' makes 1×28×28 images, not 3×32×32; models for 3×32×32 images: dcgan-32, cgan, sn-cgan, cdcgan, sn-cdcgan", e.Message);
        e = Assert.Throws<ArgumentException>(() => GanZoo.Get("biggan"));
        Assert.Contains("allowed: mlp-gan, dcgan, keras-gan, keras-gan-000, tf-gan, dcgan-32, cgan, sn-cgan, cdcgan, sn-cdcgan", e.Message);
    }

    [Fact]
    public void The_summary_table_reads_like_Keras_model_summary()
    {
        var text = ModelSummary.Of("keras-gan").ToText();
        Assert.Contains("conv2 (Conv2d)", text);
        Assert.Contains("64×7×7", text);
        Assert.Contains("36,928", text);
        Assert.Contains("Total params: 40,705", text);
        Assert.Contains("Trainable params: 1,164,289", text);
        Assert.Contains("Non-trainable params: 0", text);
    }
}
