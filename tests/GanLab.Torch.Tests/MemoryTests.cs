using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>Tests of process-wide state (live-tensor counts, the default random stream) run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(NativeMemory), DisableParallelization = true)]
public class NativeMemory;

[Collection(nameof(NativeMemory))]
public class MemoryTests
{
    [Fact]
    public void A_dispose_scope_frees_what_was_made_inside_it_but_not_what_was_moved_out()
    {
        var before = LiveTensors.Settled();
        Tensor kept;
        Tensor freed;
        using (NewDisposeScope())
        {
            freed = randn([4]) * 2.0;
            kept = (randn([4]) + 1.0).MoveToOuterDisposeScope();
            Assert.True(LiveTensors.Settled() >= before + 4);
        }
        Assert.True(freed.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Equal(before + 1, LiveTensors.Settled());
        kept.Dispose();
        Assert.Equal(before, LiveTensors.Settled());
    }

    [Fact]
    public void Nested_scopes_hand_tensors_outward()
    {
        var before = LiveTensors.Settled();
        using (var outer = NewDisposeScope())
        {
            Tensor survivor;
            using (NewDisposeScope())
            {
                survivor = randn([2]).MoveToOuterDisposeScope();
                _ = randn([2]);
            }
            Assert.False(survivor.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.Equal(before, LiveTensors.Settled());
    }

    [Fact]
    public void A_thousand_GAN_training_steps_leave_the_live_tensor_count_flat()
    {
        using var random = new Generator(3);
        using var g = new nn.Sequential(new nn.Linear(8, 32, generator: random), new nn.LeakyReLU(0.2), new nn.Dropout(0.3, random), new nn.Linear(32, 16), new nn.Tanh());
        using var d = new nn.Sequential(new nn.Linear(16, 32, generator: random), new nn.LeakyReLU(0.2), new nn.Dropout(0.3, random), new nn.Linear(32, 1));
        using var gOptimizer = new optim.Adam(g.parameters(), 2e-4, 0.5);
        using var dOptimizer = new optim.Adam(d.parameters(), 2e-4, 0.5);
        using var realTarget = full([16, 1], 0.9);
        using var fakeTarget = zeros([16, 1]);
        using var genTarget = ones([16, 1]);

        long afterWarmup = 0;
        for (var step = 0; step < 1000; step++)
        {
            if (step == 10) afterWarmup = LiveTensors.Settled();
            using var scope = NewDisposeScope();
            var real = randn([16, 16], generator: random).tanh();
            var fake = g.forward(randn([16, 8], generator: random));
            dOptimizer.zero_grad();
            var lossD = F.binary_cross_entropy_with_logits(d.forward(real), realTarget)
                      + F.binary_cross_entropy_with_logits(d.forward(fake.detach()), fakeTarget);
            lossD.backward();
            dOptimizer.step();
            gOptimizer.zero_grad();
            var lossG = F.binary_cross_entropy_with_logits(d.forward(fake), genTarget);
            lossG.backward();
            gOptimizer.step();
            _ = g.parameters().First().grad; // reading a gradient makes a handle too; the scope must free it
        }
        Assert.Equal(afterWarmup, LiveTensors.Settled());
    }

    [Fact]
    public void Disposing_a_module_frees_its_parameters()
    {
        var before = LiveTensors.Settled();
        var model = new nn.Sequential(new nn.Linear(4, 3), new nn.Linear(3, 1, bias: false));
        Assert.Equal(before + 3, LiveTensors.Settled());
        model.Dispose();
        Assert.Equal(before, LiveTensors.Settled());
    }
}
