// Layers' functional forms and losses. Pairs with Native.Nn.cs.
#include "shim.h"

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_linear(TensorHandle input, TensorHandle weight, TensorHandle bias) {
  GANLAB_TENSOR(bias ? at::linear(*input, *weight, *bias) : at::linear(*input, *weight))
}
GANLAB_EXPORT TensorHandle ganlab_relu(TensorHandle a) { GANLAB_TENSOR(at::relu(*a)) }
GANLAB_EXPORT TensorHandle ganlab_leaky_relu(TensorHandle a, double slope) { GANLAB_TENSOR(at::leaky_relu(*a, slope)) }
GANLAB_EXPORT TensorHandle ganlab_tanh(TensorHandle a) { GANLAB_TENSOR(at::tanh(*a)) }
GANLAB_EXPORT TensorHandle ganlab_sigmoid(TensorHandle a) { GANLAB_TENSOR(at::sigmoid(*a)) }

// Inverted dropout. With a run's own generator the mask is drawn from it (reproducible even when
// many runs share the server); without one, libtorch's fused kernel and default generator are used.
GANLAB_EXPORT TensorHandle ganlab_dropout(TensorHandle a, double p, int train, void* generator) {
  GANLAB_TENSOR(([&]() -> at::Tensor {
    if (!train || p == 0) return *a;
    if (!generator) return at::dropout(*a, p, true);
    TORCH_CHECK(p > 0 && p < 1, "dropout probability has to be between 0 and 1, but got ", p);
    auto keep = at::empty_like(*a).bernoulli_(1 - p, ganlab::generator_of(generator));
    return *a * keep.div_(1 - p);
  }()))
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction's values).
GANLAB_EXPORT TensorHandle ganlab_bce_with_logits(TensorHandle logits, TensorHandle target, int reduction) {
  GANLAB_TENSOR(at::binary_cross_entropy_with_logits(*logits, *target, {}, {}, reduction))
}
GANLAB_EXPORT TensorHandle ganlab_bce(TensorHandle probabilities, TensorHandle target, int reduction) {
  GANLAB_TENSOR(at::binary_cross_entropy(*probabilities, *target, {}, reduction))
}
GANLAB_EXPORT TensorHandle ganlab_mse(TensorHandle input, TensorHandle target, int reduction) {
  GANLAB_TENSOR(at::mse_loss(*input, *target, reduction))
}
