// Convolutions, the layers of every DCGAN. Pairs with Native.Conv.cs.
// Pairs of ints (stride, padding, dilation, output_padding) cross the ABI as int64_t[2], height first.
#include "shim.h"

#include <ATen/ops/conv2d.h>
#include <ATen/ops/conv_transpose2d.h>

using ganlab::TensorHandle;

namespace {
at::IntArrayRef pair(const int64_t* values) { return at::IntArrayRef(values, 2); }
c10::optional<at::Tensor> optional_bias(TensorHandle bias) {
  return bias ? c10::optional<at::Tensor>(*bias) : c10::nullopt;
}
}  // namespace

// padding_mode: 0 uses the explicit padding; 1 is PyTorch's padding='same', 2 is 'valid'.
// 'same' goes through libtorch's own string overload (present in 1.13 and 2.x), so even kernels
// get the same asymmetric padding PyTorch gives them.
GANLAB_EXPORT TensorHandle ganlab_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, const int64_t* stride,
                                         const int64_t* padding, int padding_mode, const int64_t* dilation, int64_t groups) {
  GANLAB_TENSOR(([&]() -> at::Tensor {
    auto b = optional_bias(bias);
    if (padding_mode == 1) return at::conv2d(*input, *weight, b, pair(stride), "same", pair(dilation), groups);
    if (padding_mode == 2) return at::conv2d(*input, *weight, b, pair(stride), "valid", pair(dilation), groups);
    return at::conv2d(*input, *weight, b, pair(stride), pair(padding), pair(dilation), groups);
  }()))
}

GANLAB_EXPORT TensorHandle ganlab_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias, const int64_t* stride,
                                                   const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                                   const int64_t* dilation) {
  GANLAB_TENSOR(at::conv_transpose2d(*input, *weight, optional_bias(bias), pair(stride), pair(padding), pair(output_padding), groups,
                                     pair(dilation)))
}
