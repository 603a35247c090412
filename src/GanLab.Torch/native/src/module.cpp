// In-place conversions of a module's tensors. Pairs with Native.Module.cs.
#include "shim.h"

using ganlab::TensorHandle;

// Changes the element type while keeping the tensor's identity (the handle optimizers and modules hold),
// as PyTorch's module.double() does; gradient checks and fixtures run whole modules in float64.
GANLAB_EXPORT int ganlab_tensor_set_data_dtype(TensorHandle t, int dtype) {
  GANLAB_STATUS(at::NoGradGuard guard; t->set_data(t->to(ganlab::scalar_type_of(dtype)));)
}
