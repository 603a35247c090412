using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

public class MlpGanTests
{
    [Fact]
    public void Parameter_counts_match_the_architecture()
    {
        using var generator = new MlpGan.Generator(latentSize: 100, leakySlope: 0.2, dropout: 0.3);
        using var discriminator = new MlpGan.Discriminator(leakySlope: 0.2, dropout: 0.3);
        // G: 100→256→512→784, D: 784→512→256→1, each Linear with a bias.
        Assert.Equal(100 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784, generator.parameter_count());
        Assert.Equal(559_632, generator.parameter_count());
        Assert.Equal(533_505, discriminator.parameter_count());
    }

    [Fact]
    public void Generator_output_is_an_image_batch_in_tanh_range_and_discriminator_gives_one_logit_each()
    {
        using var scope = NewDisposeScope();
        using var generator = new MlpGan.Generator(100, 0.2, 0.3);
        using var discriminator = new MlpGan.Discriminator(0.2, 0.3);
        var images = generator.forward(randn([5, 100]));
        Assert.Equal([5L, 784L], images.shape);
        Assert.All(images.ToFloatArray(), v => Assert.InRange(v, -1f, 1f));
        Assert.Equal([5L, 1L], discriminator.forward(images).shape);
    }
}
