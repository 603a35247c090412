// The "vision functions" of torch.nn.functional: sampling an image at the points of a grid, and the grid
// of an affine map. They rotate training images on the device (data augmentation). Pairs with Native.Vision.cs.
#include "shim.h"

#include <ATen/ops/affine_grid_generator.h>
#include <ATen/ops/grid_sampler.h>

using ganlab::TensorHandle;

// F.affine_grid without Python's argument checks, which the C# side makes: theta [N, 2, 3], size [N, C, H, W].
GANLAB_EXPORT TensorHandle ganlab_affine_grid(TensorHandle theta, const int64_t* size, int ndim, int align_corners) {
  GANLAB_TENSOR(at::affine_grid_generator(*theta, ganlab::shape_of(size, ndim), align_corners != 0))
}

// mode: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection (the enum values of
// at::native's GridSamplerInterpolation and GridSamplerPadding, which F.grid_sample passes as well).
GANLAB_EXPORT TensorHandle ganlab_grid_sample(TensorHandle input, TensorHandle grid, int mode, int padding, int align_corners) {
  GANLAB_TENSOR(at::grid_sampler(*input, *grid, mode, padding, align_corners != 0))
}
