// torch.autograd.grad: gradients returned as new tensors instead of accumulated into .grad.
// The WGAN-GP penalty needs them with create_graph, so the penalty itself can be backpropagated.
// Pairs with Native.Grad.cs.
#include "shim.h"

#include <torch/csrc/autograd/autograd.h>
#include <vector>

using ganlab::TensorHandle;

// grad_outputs may be null (every output must then be a scalar), and so may any of its entries.
// results receives one new handle per input; with allow_unused, an input the outputs do not depend on gets null.
GANLAB_EXPORT int ganlab_autograd_grad(TensorHandle* outputs, int noutputs, TensorHandle* inputs, int ninputs, TensorHandle* grad_outputs,
                                       int retain_graph, int create_graph, int allow_unused, TensorHandle* results) {
  GANLAB_STATUS(
    auto outs = ganlab::tensors_of(outputs, noutputs);
    auto ins = ganlab::tensors_of(inputs, ninputs);
    std::vector<at::Tensor> grads;
    if (grad_outputs)
      for (int i = 0; i < noutputs; ++i) grads.push_back(grad_outputs[i] ? *grad_outputs[i] : at::Tensor());
    // PyTorch's default: keep the graph exactly when building a graph of the gradient.
    auto retain = retain_graph < 0 ? c10::optional<bool>(create_graph != 0) : c10::optional<bool>(retain_graph != 0);
    auto result = torch::autograd::grad(outs, ins, grads, retain, create_graph != 0, allow_unused != 0);
    for (int i = 0; i < ninputs; ++i) results[i] = result[i].defined() ? ganlab::wrap(result[i]) : nullptr;
  )
}
