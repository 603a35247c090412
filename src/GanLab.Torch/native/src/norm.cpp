// Batch normalization. Pairs with Native.Norm.cs.
#include "shim.h"

#include <ATen/ops/batch_norm.h>

using ganlab::TensorHandle;

namespace {
c10::optional<at::Tensor> optional_of(TensorHandle t) { return t ? c10::optional<at::Tensor>(*t) : c10::nullopt; }
}  // namespace

// In training, libtorch normalises with the batch statistics and updates running_mean/running_var in
// place (running = (1 - momentum) * running + momentum * batch, the variance unbiased), as PyTorch does.
// In eval, it normalises with the running statistics. Every tensor but input may be null.
GANLAB_EXPORT TensorHandle ganlab_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias, TensorHandle running_mean,
                                             TensorHandle running_var, int training, double momentum, double eps) {
  GANLAB_TENSOR(at::batch_norm(*input, optional_of(weight), optional_of(bias), optional_of(running_mean), optional_of(running_var),
                               training != 0, momentum, eps, /*cudnn_enabled=*/true))
}
