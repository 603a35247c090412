using static GanLab.Torch.Native.NativeMethods;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static unsafe partial class functional
        {
            /// <summary>ELU: x for x > 0, alpha·(eˣ − 1) otherwise (seed 003's generator and discriminator use it).</summary>
            public static Tensor elu(Tensor x, double alpha = 1.0) => Tensor.WithScalar(x, alpha, &ganlab_elu);

            /// <summary>Rows of weight [num_embeddings, dim] picked by an int64 index tensor; output shape = input shape + [dim].</summary>
            public static Tensor embedding(Tensor input, Tensor weight)
            {
                var result = new Tensor(ganlab_embedding(weight.Handle, input.Handle));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                return result;
            }

            /// <summary>
            /// One-hot rows for int64 class labels. Unlike PyTorch (which returns int64) the result is float32 by default,
            /// because a conditional GAN concatenates it with float noise or images.
            /// num_classes −1 infers it from the largest label.
            /// </summary>
            public static Tensor one_hot(Tensor labels, long num_classes = -1, ScalarType dtype = ScalarType.Float32)
            {
                var result = new Tensor(ganlab_one_hot(labels.Handle, num_classes, (int)dtype));
                GC.KeepAlive(labels);
                return result;
            }

            /// <summary>Nearest-neighbour upsampling of [N, C, H, W] by an integer factor (each pixel becomes a factor × factor block).</summary>
            public static Tensor upsample_nearest(Tensor input, double scale_factor = 2)
            {
                var result = new Tensor(ganlab_upsample_nearest2d(input.Handle, scale_factor, scale_factor));
                GC.KeepAlive(input);
                return result;
            }
        }

        public sealed class ELU(double alpha = 1.0) : Module<Tensor, Tensor>
        {
            public double Alpha { get; } = alpha;
            public override Tensor forward(Tensor input) => F.elu(input, Alpha);
        }

        /// <summary>A lookup table of learned vectors, e.g. one per class in a conditional GAN. Initialised N(0, 1), as in PyTorch.</summary>
        public sealed class Embedding : Module<Tensor, Tensor>, IWeightedLayer
        {
            public Embedding(long num_embeddings, long embedding_dim, Generator? generator = null)
            {
                NumEmbeddings = num_embeddings;
                EmbeddingDim = embedding_dim;
                weight = register_parameter("weight", empty([num_embeddings, embedding_dim]).normal_(0, 1, generator));
            }

            public long NumEmbeddings { get; }
            public long EmbeddingDim { get; }
            public Tensor weight { get; }

            public override Tensor forward(Tensor input) => F.embedding(input, weight);
            public Tensor forward_with_weight(Tensor input, Tensor weight) => F.embedding(input, weight);
        }

        /// <summary>Flattens dimensions start_dim..end_dim; by default everything but the batch, between the conv stack and the last Linear.</summary>
        public sealed class Flatten(long start_dim = 1, long end_dim = -1) : Module<Tensor, Tensor>
        {
            public long StartDim { get; } = start_dim;
            public long EndDim { get; } = end_dim;
            public override Tensor forward(Tensor input) => input.flatten(StartDim, EndDim);
        }

        /// <summary>Splits one dimension into several, e.g. Unflatten(1, [128, 7, 7]) turns G's Linear output into feature maps.</summary>
        public sealed class Unflatten(long dim, long[] unflattened_size) : Module<Tensor, Tensor>
        {
            public long Dim { get; } = dim;
            public IReadOnlyList<long> UnflattenedSize { get; } = unflattened_size;

            public override Tensor forward(Tensor input)
            {
                var shape = input.shape;
                var d = Dim < 0 ? Dim + shape.Length : Dim;
                if (d < 0 || d >= shape.Length)
                    throw new ArgumentException($"Unflatten dim {Dim} is out of range for an input of {shape.Length} dimensions");
                var newShape = shape.Take((int)d).Concat(UnflattenedSize).Concat(shape.Skip((int)d + 1)).ToArray();
                return input.reshape(newShape);
            }
        }

        /// <summary>Nearest-neighbour upsampling by an integer factor: the alternative to ConvTranspose2d that avoids checkerboard artefacts.</summary>
        public sealed class Upsample(double scale_factor = 2) : Module<Tensor, Tensor>
        {
            public double ScaleFactor { get; } = scale_factor;
            public override Tensor forward(Tensor input) => F.upsample_nearest(input, ScaleFactor);
        }
    }
}
