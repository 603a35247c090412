// Conventions shared by every export of the shim.
//
// The C ABI never lets a C++ exception out: each export body runs inside GANLAB_TRY, which
// stores the message in a per-thread last error and returns a sentinel (nullptr or -1).
// The C# call site sees the sentinel, reads ganlab_last_error() and throws with libtorch's text.
#pragma once

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>  // at::NoGradGuard: included by ATen.h in 1.13 but not in 2.x
#include <cstdint>
#include <string>
#include <vector>

#define GANLAB_EXPORT extern "C" __attribute__((visibility("default")))

namespace ganlab {

// A tensor handle is a heap-allocated at::Tensor (a refcounted pointer to the storage).
using TensorHandle = at::Tensor*;

void set_last_error(const char* message);

// Counts handles alive on the native side: the leak test's ground truth.
TensorHandle wrap(at::Tensor tensor);
void release(TensorHandle handle);
int64_t live_tensors();

c10::Device device_of(int device_type, int device_index);
at::ScalarType scalar_type_of(int dtype);
at::IntArrayRef shape_of(const int64_t* shape, int ndim);

// The tensors behind an array of handles, for ops that take a list (cat, stack, optimizers, grad).
std::vector<at::Tensor> tensors_of(TensorHandle* handles, int count);

// A generator handle is a heap-allocated at::Generator; null means libtorch's default.
c10::optional<at::Generator> generator_of(void* generator);

}  // namespace ganlab

#define GANLAB_TRY(sentinel, ...)                                        \
  try {                                                                  \
    __VA_ARGS__                                                          \
  } catch (const c10::Error& e) {                                        \
    ganlab::set_last_error(e.what_without_backtrace());                  \
  } catch (const std::exception& e) {                                    \
    ganlab::set_last_error(e.what());                                    \
  } catch (...) {                                                        \
    ganlab::set_last_error("unknown C++ exception in libtorch");         \
  }                                                                      \
  return sentinel;

// Most exports make one tensor from others: this wraps the result or returns nullptr.
#define GANLAB_TENSOR(...) GANLAB_TRY(nullptr, return ganlab::wrap(__VA_ARGS__);)
// Exports that only act return 0 on success and -1 on failure.
#define GANLAB_STATUS(...) GANLAB_TRY(-1, __VA_ARGS__ return 0;)
