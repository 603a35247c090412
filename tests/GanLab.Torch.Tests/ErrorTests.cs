using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>libtorch's errors arrive as catchable exceptions carrying libtorch's own message, never as a crash.</summary>
public class ErrorTests
{
    [Fact]
    public void A_shape_mismatch_throws_with_libtorchs_message()
    {
        using var x = randn([2, 3]);
        using var w = randn([4, 5]);
        var error = Assert.Throws<TorchException>(() => F.linear(x, w));
        Assert.Contains("cannot be multiplied", error.Message);
    }

    [Fact]
    public void Mismatched_elementwise_shapes_throw()
    {
        using var a = randn([2, 3]);
        using var b = randn([4]);
        var error = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("must match the size", error.Message);
    }

    [Fact]
    public void A_wrong_dtype_throws()
    {
        using var indices = tensor(new float[] { 0, 1 }, [2]);
        using var data = randn([3, 2]);
        var error = Assert.Throws<TorchException>(() => data.index_select(0, indices));
        Assert.Contains("index", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_error_leaves_the_thread_usable_and_the_next_call_succeeds()
    {
        using var x = randn([2, 3]);
        Assert.Throws<TorchException>(() => x.view(7));
        using var y = x.view(3, 2);
        Assert.Equal([3L, 2L], y.shape);
    }

    [Fact]
    public void Reading_a_scalar_from_a_tensor_of_many_values_throws()
    {
        using var x = randn([3]);
        Assert.Throws<TorchException>(() => x.item());
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_a_managed_exception()
    {
        var x = randn([2]);
        x.Dispose();
        Assert.Throws<ObjectDisposedException>(() => x.sum());
    }

    [Fact]
    public void Data_of_the_wrong_length_is_refused_before_reaching_libtorch()
    {
        var error = Assert.Throws<ArgumentException>(() => tensor(new float[5], [2, 3]));
        Assert.Contains("6 elements", error.Message);
    }

    [Fact]
    public void Asking_for_cuda_without_a_gpu_throws_instead_of_crashing()
    {
        if (cuda.is_available()) return; // on a GPU machine the call is legitimate
        Assert.Throws<TorchException>(() => randn([2], device: Device.CUDA));
    }
}
