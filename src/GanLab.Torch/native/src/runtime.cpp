// Errors, handle bookkeeping, devices, seeds and threads: what every other file leans on.
// Pairs with Native.Runtime.cs.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <atomic>
#include <mutex>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

namespace ganlab {

namespace {
thread_local std::string last_error;
std::atomic<int64_t> live_count{0};
}  // namespace

void set_last_error(const char* message) { last_error = message ? message : ""; }

TensorHandle wrap(at::Tensor tensor) {
  live_count.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(tensor));
}

void release(TensorHandle handle) {
  if (!handle) return;
  delete handle;
  live_count.fetch_sub(1, std::memory_order_relaxed);
}

int64_t live_tensors() { return live_count.load(std::memory_order_relaxed); }

c10::Device device_of(int device_type, int device_index) {
  // 0 = CPU, 1 = CUDA, mirroring the C# DeviceType enum.
  if (device_type == 1) return c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(device_index));
  return c10::Device(c10::DeviceType::CPU);
}

at::ScalarType scalar_type_of(int dtype) { return static_cast<at::ScalarType>(dtype); }

at::IntArrayRef shape_of(const int64_t* shape, int ndim) { return at::IntArrayRef(shape, static_cast<size_t>(ndim)); }

std::vector<at::Tensor> tensors_of(TensorHandle* handles, int count) {
  std::vector<at::Tensor> list;
  list.reserve(count);
  for (int i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}

c10::optional<at::Generator> generator_of(void* generator) {
  if (!generator) return c10::nullopt;
  return *static_cast<at::Generator*>(generator);
}

}  // namespace ganlab

GANLAB_EXPORT const char* ganlab_last_error() { return ganlab::last_error.c_str(); }

GANLAB_EXPORT int64_t ganlab_live_tensors() { return ganlab::live_tensors(); }

GANLAB_EXPORT const char* ganlab_libtorch_version() { return TORCH_VERSION; }

GANLAB_EXPORT int ganlab_cuda_is_available() {
  GANLAB_TRY(0, return torch::cuda::is_available() ? 1 : 0;)
}

GANLAB_EXPORT int ganlab_cuda_device_count() {
  GANLAB_TRY(0, return static_cast<int>(torch::cuda::device_count());)
}

GANLAB_EXPORT int ganlab_cuda_synchronize() {
  GANLAB_STATUS(if (torch::cuda::is_available()) torch::cuda::synchronize();)
}

GANLAB_EXPORT int ganlab_manual_seed(uint64_t seed) { GANLAB_STATUS(torch::manual_seed(seed);) }

GANLAB_EXPORT int ganlab_set_num_threads(int threads) { GANLAB_STATUS(at::set_num_threads(threads);) }

GANLAB_EXPORT int ganlab_get_num_threads() { return at::get_num_threads(); }

GANLAB_EXPORT int ganlab_set_grad_enabled(int enabled) {
  // Returns the previous mode so the C# guard can restore it. Grad mode is per thread in libtorch.
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

GANLAB_EXPORT int ganlab_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }

// Generators give a run its own random stream, so concurrent runs on one server stay reproducible.
GANLAB_EXPORT void* ganlab_generator_new(uint64_t seed, int device_type, int device_index) {
  GANLAB_TRY(nullptr,
    auto device = ganlab::device_of(device_type, device_index);
    at::Generator generator = device.is_cuda()
        ? at::globalContext().defaultGenerator(device).clone()
        : at::detail::createCPUGenerator(seed);
    generator.set_current_seed(seed);
    return new at::Generator(std::move(generator));)
}

GANLAB_EXPORT void ganlab_generator_free(void* generator) { delete static_cast<at::Generator*>(generator); }

// A generator's whole state as a uint8 CPU tensor in libtorch's own layout (CPU: the Mersenne Twister and
// its cached normal samples; CUDA: seed and Philox offset), so a checkpoint can continue the stream where
// it stopped instead of restarting it from the seed. The generator's mutex is held as PyTorch's own
// Generator.get_state/set_state hold it: a draw on another thread must not see half a state.
GANLAB_EXPORT ganlab::TensorHandle ganlab_generator_get_state(void* generator) {
  GANLAB_TENSOR(([&] {
    auto& g = *static_cast<at::Generator*>(generator);
    std::lock_guard<std::mutex> lock(g.mutex());
    return g.get_state();
  }()))
}

// libtorch checks the state (a contiguous uint8 CPU tensor of the size its generator expects) and throws if not.
GANLAB_EXPORT int ganlab_generator_set_state(void* generator, ganlab::TensorHandle state) {
  GANLAB_STATUS(
    auto& g = *static_cast<at::Generator*>(generator);
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(*state);)
}
