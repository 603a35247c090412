// Backpropagation. Pairs with Native.Autograd.cs.
#include "shim.h"

using ganlab::TensorHandle;

GANLAB_EXPORT int ganlab_backward(TensorHandle t, TensorHandle gradient, int retain_graph) {
  GANLAB_STATUS(
    t->backward(gradient ? *gradient : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);)
}
