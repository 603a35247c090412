using static GanLab.Torch.Native.NativeMethods;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static unsafe partial class functional
        {
            /// <summary>
            /// Normalises each channel (dimension 1) to zero mean and unit variance, then scales by weight and shifts by bias.
            /// In training it uses the batch's statistics and, when given, updates running_mean/running_var in place;
            /// otherwise it uses the running statistics.
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                var result = new Tensor(ganlab_batch_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero,
                    running_mean?.Handle ?? IntPtr.Zero, running_var?.Handle ?? IntPtr.Zero, training ? 1 : 0, momentum, eps));
                GC.KeepAlive(input);
                GC.KeepAlive(running_mean);
                GC.KeepAlive(running_var);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return result;
            }
        }

        /// <summary>
        /// Batch normalization with PyTorch's semantics: running = (1 − momentum)·running + momentum·batch.
        /// Keras writes the same update as running = momentum·running + (1 − momentum)·batch, so Keras'
        /// BatchNormalization(momentum=0.8) is momentum 0.2 here (seed 004's CIFAR-10 model), and Keras' default 0.99 is 0.01.
        /// momentum null means a cumulative average over all batches seen, as in PyTorch.
        /// </summary>
        public abstract class BatchNorm : Module<Tensor, Tensor>
        {
            private protected BatchNorm(long num_features, double eps, double? momentum, bool affine, bool track_running_stats)
            {
                NumFeatures = num_features;
                Eps = eps;
                Momentum = momentum;
                if (affine)
                {
                    weight = register_parameter("weight", ones([num_features]));
                    bias = register_parameter("bias", zeros([num_features]));
                }
                if (track_running_stats)
                {
                    running_mean = register_buffer("running_mean", zeros([num_features]));
                    running_var = register_buffer("running_var", ones([num_features]));
                    num_batches_tracked = register_buffer("num_batches_tracked", zeros([], ScalarType.Int64));
                }
            }

            public long NumFeatures { get; }
            public double Eps { get; }
            public double? Momentum { get; }
            public Tensor? weight { get; }
            public Tensor? bias { get; }
            public Tensor? running_mean { get; }
            public Tensor? running_var { get; }
            public Tensor? num_batches_tracked { get; }

            private protected abstract void CheckInputDim(Tensor input);

            public override Tensor forward(Tensor input)
            {
                CheckInputDim(input);
                var factor = Momentum ?? 0.0;
                if (training && num_batches_tracked is not null)
                {
                    num_batches_tracked.AddInPlaceWithoutGrad(1);
                    if (Momentum is null) factor = 1.0 / num_batches_tracked.item();
                }
                // Without running statistics, eval mode has nothing else to normalise with, so it uses the batch's (as PyTorch does).
                var useBatchStatistics = training || running_mean is null;
                return F.batch_norm(input, running_mean, running_var, weight, bias, useBatchStatistics, factor, Eps);
            }
        }

        /// <summary>Batch normalization over [N, C] or [N, C, L] inputs, per feature C.</summary>
        public sealed class BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
            : BatchNorm(num_features, eps, momentum, affine, track_running_stats)
        {
            private protected override void CheckInputDim(Tensor input)
            {
                var d = input.dim();
                if (d is not (2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {d}D input)");
            }
        }

        /// <summary>Batch normalization over [N, C, H, W] inputs, per channel C (statistics over N, H and W).</summary>
        public sealed class BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
            : BatchNorm(num_features, eps, momentum, affine, track_running_stats)
        {
            private protected override void CheckInputDim(Tensor input)
            {
                var d = input.dim();
                if (d != 4) throw new ArgumentException($"expected 4D input (got {d}D input)");
            }
        }
    }
}
