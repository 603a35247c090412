using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How <see cref="functional.grid_sample"/> reads between pixels; values match libtorch's GridSamplerInterpolation.</summary>
        public enum GridSampleMode { Bilinear = 0, Nearest = 1, Bicubic = 2 }

        /// <summary>What <see cref="functional.grid_sample"/> reads outside the image; values match libtorch's GridSamplerPadding.</summary>
        public enum GridSamplePaddingMode { Zeros = 0, Border = 1, Reflection = 2 }

        public static unsafe partial class functional
        {
            /// <summary>
            /// The sampling grid [N, H, W, 2] of the affine maps theta [N, 2, 3] for an output of size [N, C, H, W]
            /// (PyTorch's F.affine_grid): each output pixel's (x, y) in [−1, 1] source coordinates.
            /// </summary>
            public static Tensor affine_grid(Tensor theta, long[] size, bool align_corners = false)
            {
                if (size.Length != 4)
                    throw new ArgumentException($"affine_grid supports 2-D images only: size must be [N, C, H, W], not [{string.Join(", ", size)}]", nameof(size));
                var t = theta.shape;
                if (t is not [_, 2, 3] || t[0] != size[0])
                    throw new ArgumentException($"affine_grid wants theta of shape [{size[0]}, 2, 3] for size [{string.Join(", ", size)}], not [{string.Join(", ", t)}]", nameof(theta));
                fixed (long* s = size)
                {
                    var result = new Tensor(ganlab_affine_grid(theta.Handle, s, size.Length, align_corners ? 1 : 0));
                    GC.KeepAlive(theta);
                    return result;
                }
            }

            /// <summary>
            /// input [N, C, H_in, W_in] read at the points of grid [N, H, W, 2] (x, y in [−1, 1]) into [N, C, H, W]
            /// (PyTorch's F.grid_sample, whose defaults these are).
            /// </summary>
            public static Tensor grid_sample(Tensor input, Tensor grid, GridSampleMode mode = GridSampleMode.Bilinear,
                GridSamplePaddingMode padding_mode = GridSamplePaddingMode.Zeros, bool align_corners = false)
            {
                var result = new Tensor(ganlab_grid_sample(input.Handle, grid.Handle, (int)mode, (int)padding_mode, align_corners ? 1 : 0));
                GC.KeepAlive(input);
                GC.KeepAlive(grid);
                return result;
            }
        }
    }
}
