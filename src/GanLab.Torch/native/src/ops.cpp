// Arithmetic, reductions, shapes and in-place fills. Pairs with Native.Ops.cs.
#include "shim.h"

#include <vector>

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_add(TensorHandle a, TensorHandle b, double alpha) { GANLAB_TENSOR(at::add(*a, *b, alpha)) }
GANLAB_EXPORT TensorHandle ganlab_sub(TensorHandle a, TensorHandle b) { GANLAB_TENSOR(at::sub(*a, *b)) }
GANLAB_EXPORT TensorHandle ganlab_mul(TensorHandle a, TensorHandle b) { GANLAB_TENSOR(at::mul(*a, *b)) }
GANLAB_EXPORT TensorHandle ganlab_div(TensorHandle a, TensorHandle b) { GANLAB_TENSOR(at::div(*a, *b)) }
GANLAB_EXPORT TensorHandle ganlab_add_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::add(*a, s)) }
GANLAB_EXPORT TensorHandle ganlab_mul_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::mul(*a, s)) }
GANLAB_EXPORT TensorHandle ganlab_rsub_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::rsub(*a, s)) }
GANLAB_EXPORT TensorHandle ganlab_pow_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::pow(*a, s)) }
GANLAB_EXPORT TensorHandle ganlab_neg(TensorHandle a) { GANLAB_TENSOR(at::neg(*a)) }
GANLAB_EXPORT TensorHandle ganlab_exp(TensorHandle a) { GANLAB_TENSOR(at::exp(*a)) }
GANLAB_EXPORT TensorHandle ganlab_log(TensorHandle a) { GANLAB_TENSOR(at::log(*a)) }
GANLAB_EXPORT TensorHandle ganlab_sqrt(TensorHandle a) { GANLAB_TENSOR(at::sqrt(*a)) }
GANLAB_EXPORT TensorHandle ganlab_abs(TensorHandle a) { GANLAB_TENSOR(at::abs(*a)) }
GANLAB_EXPORT TensorHandle ganlab_sin(TensorHandle a) { GANLAB_TENSOR(at::sin(*a)) }
GANLAB_EXPORT TensorHandle ganlab_cos(TensorHandle a) { GANLAB_TENSOR(at::cos(*a)) }
GANLAB_EXPORT TensorHandle ganlab_clamp(TensorHandle a, double min, double max) { GANLAB_TENSOR(at::clamp(*a, min, max)) }
GANLAB_EXPORT TensorHandle ganlab_matmul(TensorHandle a, TensorHandle b) { GANLAB_TENSOR(at::matmul(*a, *b)) }
GANLAB_EXPORT TensorHandle ganlab_gt_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::gt(*a, s)) }
GANLAB_EXPORT TensorHandle ganlab_lt_scalar(TensorHandle a, double s) { GANLAB_TENSOR(at::lt(*a, s)) }

GANLAB_EXPORT TensorHandle ganlab_sum(TensorHandle a) { GANLAB_TENSOR(at::sum(*a)) }
GANLAB_EXPORT TensorHandle ganlab_mean(TensorHandle a) { GANLAB_TENSOR(at::mean(*a)) }
GANLAB_EXPORT TensorHandle ganlab_sum_dim(TensorHandle a, const int64_t* dims, int ndims, int keepdim) {
  GANLAB_TENSOR(at::sum(*a, at::IntArrayRef(dims, ndims), keepdim != 0))
}
GANLAB_EXPORT TensorHandle ganlab_mean_dim(TensorHandle a, const int64_t* dims, int ndims, int keepdim) {
  GANLAB_TENSOR(at::mean(*a, at::IntArrayRef(dims, ndims), keepdim != 0))
}
GANLAB_EXPORT TensorHandle ganlab_max(TensorHandle a) { GANLAB_TENSOR(at::max(*a)) }
GANLAB_EXPORT TensorHandle ganlab_min(TensorHandle a) { GANLAB_TENSOR(at::min(*a)) }

GANLAB_EXPORT TensorHandle ganlab_reshape(TensorHandle a, const int64_t* shape, int ndim) { GANLAB_TENSOR(a->reshape(ganlab::shape_of(shape, ndim))) }
GANLAB_EXPORT TensorHandle ganlab_view(TensorHandle a, const int64_t* shape, int ndim) { GANLAB_TENSOR(a->view(ganlab::shape_of(shape, ndim))) }
GANLAB_EXPORT TensorHandle ganlab_flatten(TensorHandle a, int64_t start, int64_t end) { GANLAB_TENSOR(a->flatten(start, end)) }
GANLAB_EXPORT TensorHandle ganlab_transpose(TensorHandle a, int64_t dim0, int64_t dim1) { GANLAB_TENSOR(a->transpose(dim0, dim1)) }
GANLAB_EXPORT TensorHandle ganlab_narrow(TensorHandle a, int64_t dim, int64_t start, int64_t length) { GANLAB_TENSOR(a->narrow(dim, start, length)) }
GANLAB_EXPORT TensorHandle ganlab_index_select(TensorHandle a, int64_t dim, TensorHandle index) { GANLAB_TENSOR(at::index_select(*a, dim, *index)) }

GANLAB_EXPORT TensorHandle ganlab_cat(TensorHandle* tensors, int count, int64_t dim) {
  GANLAB_TENSOR(at::cat(ganlab::tensors_of(tensors, count), dim))
}

// In place, outside autograd: used for initialisation and for copying data into place.
GANLAB_EXPORT int ganlab_uniform_(TensorHandle a, double low, double high, void* generator) {
  GANLAB_STATUS(at::NoGradGuard guard; a->uniform_(low, high, ganlab::generator_of(generator));)
}
GANLAB_EXPORT int ganlab_normal_(TensorHandle a, double mean, double std, void* generator) {
  GANLAB_STATUS(at::NoGradGuard guard; a->normal_(mean, std, ganlab::generator_of(generator));)
}
GANLAB_EXPORT int ganlab_fill_(TensorHandle a, double value) { GANLAB_STATUS(at::NoGradGuard guard; a->fill_(value);) }
GANLAB_EXPORT int ganlab_zero_(TensorHandle a) { GANLAB_STATUS(at::NoGradGuard guard; a->zero_();) }
GANLAB_EXPORT int ganlab_copy_(TensorHandle destination, TensorHandle source) {
  GANLAB_STATUS(at::NoGradGuard guard; destination->copy_(*source);)
}
