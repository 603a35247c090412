// Norms and the in-place updates training needs outside autograd. Pairs with Native.Maths.cs.
#include "shim.h"

#include <ATen/ops/norm.h>

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_norm(TensorHandle a, double p) { GANLAB_TENSOR(at::norm(*a, at::Scalar(p))) }
GANLAB_EXPORT TensorHandle ganlab_norm_dim(TensorHandle a, double p, const int64_t* dims, int ndims, int keepdim) {
  GANLAB_TENSOR(at::norm(*a, c10::optional<at::Scalar>(at::Scalar(p)), at::IntArrayRef(dims, ndims), keepdim != 0))
}

// WGAN's weight clipping changes parameters in place between steps; autograd must not record it.
GANLAB_EXPORT int ganlab_clamp_(TensorHandle a, double min, double max) { GANLAB_STATUS(at::NoGradGuard guard; a->clamp_(min, max);) }
// Counters such as BatchNorm's num_batches_tracked, an int64 tensor: a double scalar may not be added to it in place.
GANLAB_EXPORT int ganlab_add_scalar_(TensorHandle a, double s) {
  GANLAB_STATUS(
    at::NoGradGuard guard;
    a->add_(at::isIntegralType(a->scalar_type(), /*includeBool=*/false) ? at::Scalar(static_cast<int64_t>(s)) : at::Scalar(s));)
}
