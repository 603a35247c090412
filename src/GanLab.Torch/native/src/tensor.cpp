// Making tensors, reading them back, and what a tensor knows about itself.
// Pairs with Native.Tensor.cs.
#include "shim.h"

using ganlab::TensorHandle;

namespace {
at::TensorOptions options_of(int dtype, int device_type, int device_index, int requires_grad) {
  return at::TensorOptions()
      .dtype(ganlab::scalar_type_of(dtype))
      .device(ganlab::device_of(device_type, device_index))
      .requires_grad(requires_grad != 0);
}
}  // namespace

GANLAB_EXPORT void ganlab_tensor_free(TensorHandle t) { ganlab::release(t); }

GANLAB_EXPORT TensorHandle ganlab_tensor_from_data(const void* data, int dtype, const int64_t* shape, int ndim,
                                                   int device_type, int device_index, int requires_grad) {
  GANLAB_TENSOR(
    // from_blob does not copy; clone() gives libtorch its own storage before we return.
    at::from_blob(const_cast<void*>(data), ganlab::shape_of(shape, ndim), at::TensorOptions().dtype(ganlab::scalar_type_of(dtype)))
        .to(ganlab::device_of(device_type, device_index), /*non_blocking=*/false, /*copy=*/true)
        .set_requires_grad(requires_grad != 0))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, int requires_grad) {
  GANLAB_TENSOR(at::empty(ganlab::shape_of(shape, ndim), options_of(dtype, device_type, device_index, requires_grad)))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_full(const int64_t* shape, int ndim, double value, int dtype, int device_type, int device_index, int requires_grad) {
  GANLAB_TENSOR(at::full(ganlab::shape_of(shape, ndim), value, options_of(dtype, device_type, device_index, requires_grad)))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, int requires_grad, void* generator) {
  GANLAB_TENSOR(at::randn(ganlab::shape_of(shape, ndim), ganlab::generator_of(generator), options_of(dtype, device_type, device_index, 0))
                    .set_requires_grad(requires_grad != 0))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, int requires_grad, void* generator) {
  GANLAB_TENSOR(at::rand(ganlab::shape_of(shape, ndim), ganlab::generator_of(generator), options_of(dtype, device_type, device_index, 0))
                    .set_requires_grad(requires_grad != 0))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_randperm(int64_t n, int device_type, int device_index, void* generator) {
  GANLAB_TENSOR(at::randperm(n, ganlab::generator_of(generator), at::TensorOptions().dtype(at::kLong).device(ganlab::device_of(device_type, device_index))))
}

GANLAB_EXPORT TensorHandle ganlab_tensor_arange(double start, double end, double step, int dtype, int device_type, int device_index) {
  GANLAB_TENSOR(at::arange(start, end, step, options_of(dtype, device_type, device_index, 0)))
}

// Copies the tensor's elements, converted to `dtype`, into a caller-owned buffer of `count` elements.
GANLAB_EXPORT int ganlab_tensor_copy_to(TensorHandle t, void* destination, int dtype, int64_t count) {
  GANLAB_STATUS(
    auto source = t->detach().to(at::kCPU, ganlab::scalar_type_of(dtype)).contiguous();
    TORCH_CHECK(source.numel() == count, "buffer holds ", count, " elements but the tensor has ", source.numel());
    std::memcpy(destination, source.data_ptr(), static_cast<size_t>(count) * source.element_size());)
}

GANLAB_EXPORT int ganlab_tensor_item(TensorHandle t, double* value) {
  GANLAB_STATUS(*value = t->item<double>();)
}

GANLAB_EXPORT int ganlab_tensor_ndim(TensorHandle t) { return static_cast<int>(t->dim()); }

// Writes up to `capacity` sizes; returns the number of dimensions.
GANLAB_EXPORT int ganlab_tensor_shape(TensorHandle t, int64_t* sizes, int capacity) {
  auto s = t->sizes();
  for (int i = 0; i < capacity && i < static_cast<int>(s.size()); ++i) sizes[i] = s[i];
  return static_cast<int>(s.size());
}

GANLAB_EXPORT int64_t ganlab_tensor_numel(TensorHandle t) { return t->numel(); }

GANLAB_EXPORT int ganlab_tensor_dtype(TensorHandle t) { return static_cast<int>(t->scalar_type()); }

GANLAB_EXPORT int ganlab_tensor_device_type(TensorHandle t) { return t->is_cuda() ? 1 : 0; }

GANLAB_EXPORT int ganlab_tensor_device_index(TensorHandle t) { return t->is_cuda() ? t->device().index() : -1; }

GANLAB_EXPORT int ganlab_tensor_requires_grad(TensorHandle t) { return t->requires_grad() ? 1 : 0; }

GANLAB_EXPORT int ganlab_tensor_set_requires_grad(TensorHandle t, int requires_grad) {
  GANLAB_STATUS(t->set_requires_grad(requires_grad != 0);)
}

// The gradient may be undefined (never computed): then *grad is null and the call still succeeds.
GANLAB_EXPORT int ganlab_tensor_grad(TensorHandle t, TensorHandle* grad) {
  GANLAB_STATUS(
    const auto& g = t->grad();
    *grad = g.defined() ? ganlab::wrap(g) : nullptr;)
}

GANLAB_EXPORT TensorHandle ganlab_tensor_to(TensorHandle t, int dtype, int device_type, int device_index) {
  GANLAB_TENSOR(t->to(ganlab::device_of(device_type, device_index), ganlab::scalar_type_of(dtype)))
}

// Moves a parameter's storage in place, so optimizers holding it stay valid (like Module.to in PyTorch).
GANLAB_EXPORT int ganlab_tensor_set_data_to(TensorHandle t, int device_type, int device_index) {
  GANLAB_STATUS(t->set_data(t->to(ganlab::device_of(device_type, device_index)));)
}

GANLAB_EXPORT TensorHandle ganlab_tensor_detach(TensorHandle t) { GANLAB_TENSOR(t->detach()) }
GANLAB_EXPORT TensorHandle ganlab_tensor_clone(TensorHandle t) { GANLAB_TENSOR(t->clone()) }
GANLAB_EXPORT TensorHandle ganlab_tensor_contiguous(TensorHandle t) { GANLAB_TENSOR(t->contiguous()) }
GANLAB_EXPORT TensorHandle ganlab_tensor_alias(TensorHandle t) { GANLAB_TENSOR(at::Tensor(*t)) }
