using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Training;

/// <summary>
/// The parts of a training step that the image trainer (GanTrainer) and the toy trainer (Toys.ToyGanTrainer) share,
/// so that an optimizer, a WGAN clip or a chart's number means exactly the same in both.
/// </summary>
public static class GanStep
{
    /// <summary>"adam" (betas from the options), "sgd" (with momentum, as Algorithm 1) or "rmsprop" (WGAN's choice).</summary>
    public static optim.Optimizer MakeOptimizer(IEnumerable<Tensor> parameters, string optimizer, double learningRate, double beta1, double beta2, double momentum) => optimizer switch
    {
        "sgd" => new optim.SGD(parameters, learningRate, momentum),
        "rmsprop" => new optim.RMSprop(parameters, learningRate),
        _ => new optim.Adam(parameters, learningRate, beta1, beta2),
    };

    /// <summary>Total L2 norm over all of a network's parameter gradients, as measured right after backward.</summary>
    public static Tensor GradientNorm(Module network)
    {
        using var _ = no_grad();
        var squares = network.parameters().Where(p => p.grad is not null).Select(p => p.grad!.pow(2).sum().reshape(1)).ToList();
        return cat(squares).sum().sqrt();
    }

    /// <summary>WGAN's Lipschitz constraint: every weight of the critic back into [−c, c].</summary>
    public static void ClipWeights(Module network, double c)
    {
        using var _ = no_grad();
        foreach (var p in network.parameters()) p.clamp_(-c, c);
    }

    /// <summary>
    /// Everything a step reports, read back to the host in one copy (on a GPU each read is a synchronisation, and it
    /// belongs to the step's time), outside autograd so that telemetry never grows the graph. D(·) is shown as a
    /// probability (mean sigmoid) for logit losses and as the raw mean otherwise; the accuracies count outputs on the
    /// right side of the loss's threshold. <see cref="ToProgress"/> names the numbers.
    /// </summary>
    public static double[] ReadBack(IGanLoss loss, Tensor lossD, Tensor lossDReal, Tensor lossDFake, Tensor lossG,
        Tensor realOutput, Tensor fakeOutput, Tensor fakeOutputAfter, Tensor gradNormG, Tensor gradNormD)
    {
        using var noGrad = no_grad();
        Tensor Shown(Tensor output) => (loss.OutputIsLogit ? output.sigmoid().mean() : output.mean()).reshape(1);
        var threshold = loss.DecisionThreshold;
        return cat([lossD.reshape(1), lossG.reshape(1), Shown(realOutput), Shown(fakeOutput), Shown(fakeOutputAfter),
                    lossDReal.reshape(1), lossDFake.reshape(1),
                    realOutput.gt(threshold).to(ScalarType.Float32).mean().reshape(1),
                    fakeOutput.lt(threshold).to(ScalarType.Float32).mean().reshape(1),
                    gradNormG.reshape(1), gradNormD.reshape(1),
                    (realOutput.mean() - fakeOutput.mean()).reshape(1)]).ToDoubleArray();
    }

    /// <summary>The numbers of <see cref="ReadBack"/> as the step's progress report.</summary>
    public static TrainingProgress ToProgress(double[] numbers, IGanLoss loss, long step, int epoch, int batchSize, TimeSpan elapsed) =>
        new(step, epoch, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4],
            ImagesPerSecond: step * batchSize / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed)
        {
            LossDReal = numbers[5],
            LossDFake = numbers[6],
            DAccuracyReal = numbers[7],
            DAccuracyFake = numbers[8],
            GradientNormG = numbers[9],
            GradientNormD = numbers[10],
            WassersteinEstimate = numbers[11],
            DOutputIsProbability = loss.OutputIsLogit,
        };
}
