using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>The classifier's ops (native/src/classify.cpp) against values worked out by hand.</summary>
public class ClassificationOpsTests
{
    [Fact]
    public void Cross_entropy_is_the_mean_negative_log_softmax_of_the_true_class()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 0, 0, 2, 3, 4 }, [2, 3]);
        var target = tensor(new long[] { 1, 2 }, [2]);
        // Row 1: uniform over 3, −log(1/3). Row 2 (logits 2, 3, 4, class 2): −(4 − log(e² + e³ + e⁴)).
        var expected = (Math.Log(3) + Math.Log(Math.Exp(2) + Math.Exp(3) + Math.Exp(4)) - 4) / 2;
        Assert.Equal(expected, F.cross_entropy(logits, target).item(), 1e-6);
        Assert.Equal(2 * expected, F.cross_entropy(logits, target, nn.Reduction.Sum).item(), 1e-5);
        var logSoftmax = F.log_softmax(logits, 1).ToFloatArray();
        Assert.Equal(-Math.Log(3), logSoftmax[1], 1e-6);
        Assert.Equal(1, F.softmax(logits, 1).sum([1]).ToFloatArray().Max(), 1e-6);
    }

    [Fact]
    public void Max_pooling_keeps_the_largest_of_each_window()
    {
        using var scope = NewDisposeScope();
        var image = arange(0, 16, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);
        Assert.Equal([5f, 7, 13, 15], F.max_pool2d(image, 2).ToFloatArray());
        Assert.Equal([1L, 1, 2, 2], new nn.MaxPool2d(2).forward(image).shape);
        Assert.Equal([10f, 11, 14, 15], F.max_pool2d(image, 3, 1).ToFloatArray());
    }

    [Fact]
    public void Argmax_gives_the_index_of_each_rows_largest_value()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 0], tensor(new float[] { 1, 2, 3, 9, 8, 7 }, [2, 3]).argmax(1).ToInt64Array());
    }

    [Fact]
    public void Cross_entropy_with_a_class_out_of_range_throws_libtorchs_message()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => F.cross_entropy(zeros([1, 3]), tensor(new long[] { 5 }, [1])));
        Assert.Contains("out of bounds", error.Message);
    }
}
