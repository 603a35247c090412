// Optimizers: libtorch's own implementations, driven through an opaque handle. Pairs with Native.Optim.cs.
#include "shim.h"

#include <torch/optim/adam.h>
#include <memory>
#include <vector>

using ganlab::TensorHandle;

namespace {
std::vector<at::Tensor> parameters_of(TensorHandle* params, int count) {
  std::vector<at::Tensor> list;
  list.reserve(count);
  for (int i = 0; i < count; ++i) list.push_back(*params[i]);
  return list;
}
}  // namespace

GANLAB_EXPORT void* ganlab_adam_new(TensorHandle* params, int count, double lr, double beta1, double beta2, double eps, double weight_decay) {
  GANLAB_TRY(nullptr,
    auto options = torch::optim::AdamOptions(lr).betas(std::make_tuple(beta1, beta2)).eps(eps).weight_decay(weight_decay);
    return static_cast<torch::optim::Optimizer*>(new torch::optim::Adam(parameters_of(params, count), options));)
}

GANLAB_EXPORT int ganlab_optimizer_step(void* optimizer) {
  GANLAB_STATUS(static_cast<torch::optim::Optimizer*>(optimizer)->step();)
}

GANLAB_EXPORT int ganlab_optimizer_zero_grad(void* optimizer) {
  GANLAB_STATUS(static_cast<torch::optim::Optimizer*>(optimizer)->zero_grad();)
}

GANLAB_EXPORT void ganlab_optimizer_free(void* optimizer) { delete static_cast<torch::optim::Optimizer*>(optimizer); }
