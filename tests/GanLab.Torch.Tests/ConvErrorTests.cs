using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>Mistakes made while building conv GANs surface as exceptions carrying libtorch's own message.</summary>
public class ConvErrorTests
{
    [Fact]
    public void A_conv_with_the_wrong_number_of_input_channels_names_them()
    {
        using var conv = new nn.Conv2d(3, 8, 3);
        using var grey = randn([1, 1, 28, 28]);
        var error = Assert.Throws<TorchException>(() => conv.forward(grey));
        Assert.Contains("to have 3 channels, but got 1 channels instead", error.Message);
    }

    [Fact]
    public void A_kernel_larger_than_the_image_is_refused()
    {
        using var x = randn([1, 1, 3, 3]);
        using var w = randn([1, 1, 5, 5]);
        var error = Assert.Throws<TorchException>(() => F.conv2d(x, w));
        Assert.Contains("Kernel size can't be greater than actual input size", error.Message);
    }

    [Fact]
    public void A_flat_input_to_a_transposed_conv_is_refused()
    {
        using var up = new nn.ConvTranspose2d(100, 64, 4);
        using var z = randn([100]);
        Assert.Throws<TorchException>(() => up.forward(z));
    }

    [Fact]
    public void Batch_norm_with_the_wrong_feature_count_says_so()
    {
        using var bn = new nn.BatchNorm1d(3);
        using var x = randn([4, 5]);
        var error = Assert.Throws<TorchException>(() => bn.forward(x));
        Assert.Contains("running_mean should contain 5 elements not 3", error.Message);
    }

    [Fact]
    public void Asking_autograd_for_the_gradient_of_a_tensor_without_history_fails_clearly()
    {
        using var scope = NewDisposeScope();
        var x = randn([3], requires_grad: true);
        var constant = randn([3]).sum();
        var error = Assert.Throws<TorchException>(() => autograd.grad([constant], [x]));
        Assert.Contains("does not require grad", error.Message);
    }
}
