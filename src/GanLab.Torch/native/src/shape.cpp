// Shapes and indexing beyond ops.cpp: permute, expand, stack, one-hot, nearest upsampling. Pairs with Native.Shape.cs.
#include "shim.h"

#include <ATen/ops/one_hot.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/upsample_nearest2d.h>
#include <vector>

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_permute(TensorHandle a, const int64_t* dims, int ndims) { GANLAB_TENSOR(a->permute(ganlab::shape_of(dims, ndims))) }
GANLAB_EXPORT TensorHandle ganlab_expand(TensorHandle a, const int64_t* shape, int ndim) { GANLAB_TENSOR(a->expand(ganlab::shape_of(shape, ndim))) }

GANLAB_EXPORT TensorHandle ganlab_stack(TensorHandle* tensors, int count, int64_t dim) {
  GANLAB_TENSOR(at::stack(ganlab::tensors_of(tensors, count), dim))
}

// libtorch's one_hot gives int64; a conditional GAN concatenates it with float noise, so convert here.
GANLAB_EXPORT TensorHandle ganlab_one_hot(TensorHandle labels, int64_t num_classes, int dtype) {
  GANLAB_TENSOR(at::one_hot(*labels, num_classes).to(ganlab::scalar_type_of(dtype)))
}

// Output size computed here, so the call uses the IntArrayRef overload both 1.13 and 2.x have.
GANLAB_EXPORT TensorHandle ganlab_upsample_nearest2d(TensorHandle input, double scale_h, double scale_w) {
  GANLAB_TENSOR(([&] {
    TORCH_CHECK(input->dim() == 4, "upsample_nearest2d expects a 4-D input [N, C, H, W], but got ", input->dim(), " dimensions");
    std::vector<int64_t> size{static_cast<int64_t>(input->size(2) * scale_h), static_cast<int64_t>(input->size(3) * scale_w)};
    return at::upsample_nearest2d(*input, size, scale_h, scale_w);
  }()))
}
