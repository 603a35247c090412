using static GanLab.Torch.torch;

namespace GanLab.Torch.Tests;

/// <summary>The C heap behind CPU tensors: its counters follow tensors made and freed, and trimming works here (glibc).</summary>
[Collection(nameof(NativeMemory))]
public class NativeHeapTests
{
    [Fact]
    public void The_C_heap_counts_tensors_in_use_and_gives_back_what_they_freed()
    {
        var before = Assert.NotNull(NativeHeap.Statistics());
        // Many small tensors, as a model's activations and gradients are: served from malloc's arenas,
        // not mapped one by one, so freeing them leaves the memory with malloc.
        var tensors = Enumerable.Range(0, 2_000).Select(_ => zeros([4_096])).ToList(); // 16 KiB each, 32 MiB in all
        var during = Assert.NotNull(NativeHeap.Statistics());
        Assert.True(during.InUseBytes - before.InUseBytes >= 30L << 20,
            $"in use grew by {(during.InUseBytes - before.InUseBytes) >> 20} MiB for 32 MiB of tensors");

        tensors.ForEach(t => t.Dispose());
        var after = Assert.NotNull(NativeHeap.Statistics());
        Assert.True(during.InUseBytes - after.InUseBytes >= 30L << 20, "freeing the tensors should lower the memory in use");
        Assert.True(after.FreeBytes >= 30L << 20, "malloc keeps what the tensors freed until it is trimmed");

        var resident = ResidentAnonymousBytes();
        Assert.True(NativeHeap.Trim());
        Assert.True(resident - ResidentAnonymousBytes() >= 20L << 20, "trimming should hand the freed pages back to the system");
    }

    private static long ResidentAnonymousBytes() =>
        long.Parse(File.ReadLines("/proc/self/status").Single(line => line.StartsWith("RssAnon:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    [Fact]
    public void Malloc_takes_a_cap_on_its_arenas_and_refuses_none()
    {
        // glibc's own default would be eight per core; this test process keeps working with two.
        Assert.True(NativeHeap.LimitArenas(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeHeap.LimitArenas(0));
    }
}
