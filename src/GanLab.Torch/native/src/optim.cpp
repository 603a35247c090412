// Optimizers: libtorch's own implementations, driven through an opaque handle. Pairs with Native.Optim.cs.
//
// Besides step/zero_grad, the shim reads and writes each parameter's optimizer state (Adam's moments,
// SGD's momentum buffer, RMSprop's averages) so checkpoints can hold it in our own format: libtorch's
// archive format is a TorchScript zip tied to the libtorch version that wrote it.
#include "shim.h"

#include <ATen/ATen.h>  // the _foreach_ multi-tensor ops
#include <torch/optim/adam.h>
#include <torch/optim/optimizer.h>
#include <torch/optim/rmsprop.h>
#include <torch/optim/sgd.h>

#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

using ganlab::TensorHandle;
using torch::optim::Optimizer;
using torch::optim::OptimizerParamState;

namespace {
Optimizer* optimizer_of(void* handle) { return static_cast<Optimizer*>(handle); }

// The optimizer's state map is keyed by the parameter's TensorImpl: as a printed pointer (a string)
// in libtorch 1.13, as the pointer itself in later 2.x releases. Deriving the key from the map's own
// key type compiles against both without a version #if; the string form is what 1.13's
// c10::guts::to_string(p.unsafeGetTensorImpl()) produces (an ostream of the pointer).
template <typename Map>
typename Map::key_type state_key(const Map&, const at::Tensor& parameter) {
  using Key = typename Map::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream out;
    out << parameter.unsafeGetTensorImpl();
    return out.str();
  } else {
    return Key(parameter.unsafeGetTensorImpl());
  }
}

// Parameters are numbered across all param groups in order, as PyTorch's optimizer state_dict does.
const at::Tensor& parameter_at(Optimizer& optimizer, int index) {
  TORCH_CHECK(index >= 0, "optimizer parameter index ", index, " is negative");
  int remaining = index;
  for (auto& group : optimizer.param_groups()) {
    auto& params = group.params();
    if (remaining < static_cast<int>(params.size())) return params[remaining];
    remaining -= static_cast<int>(params.size());
  }
  TORCH_CHECK(false, "optimizer has no parameter ", index);
}

int parameter_count(Optimizer& optimizer) {
  int count = 0;
  for (auto& group : optimizer.param_groups()) count += static_cast<int>(group.params().size());
  return count;
}

OptimizerParamState* find_state(Optimizer& optimizer, const at::Tensor& parameter) {
  auto& state = optimizer.state();
  auto found = state.find(state_key(state, parameter));
  return found == state.end() ? nullptr : found->second.get();
}

at::Tensor step_tensor(int64_t step) { return at::scalar_tensor(c10::Scalar(step), at::TensorOptions().dtype(at::kLong)); }

int64_t step_of(const at::Tensor& value) {
  TORCH_CHECK(value.numel() == 1, "optimizer state 'step' must be a single number, got a tensor of ", value.numel(), " elements");
  return value.item<int64_t>();
}

// One field of a parameter's state; an undefined tensor when this state does not hold it
// (e.g. RMSprop's grad_avg when not centered).
at::Tensor read_field(OptimizerParamState& state, const std::string& field) {
  if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(&state)) {
    if (field == "step") return step_tensor(adam->step());
    if (field == "exp_avg") return adam->exp_avg();
    if (field == "exp_avg_sq") return adam->exp_avg_sq();
    if (field == "max_exp_avg_sq") return adam->max_exp_avg_sq();
  } else if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(&state)) {
    if (field == "momentum_buffer") return sgd->momentum_buffer();
  } else if (auto* rms = dynamic_cast<torch::optim::RMSpropParamState*>(&state)) {
    if (field == "step") return step_tensor(rms->step());
    if (field == "square_avg") return rms->square_avg();
    if (field == "momentum_buffer") return rms->momentum_buffer();
    if (field == "grad_avg") return rms->grad_avg();
  }
  TORCH_CHECK(false, "this optimizer's state has no field '", field, "'");
}

// Fresh state of the optimizer's own kind, so its step() finds the type it casts to.
std::unique_ptr<OptimizerParamState> new_state(Optimizer& optimizer) {
  if (dynamic_cast<torch::optim::Adam*>(&optimizer)) return std::make_unique<torch::optim::AdamParamState>();
  if (dynamic_cast<torch::optim::SGD*>(&optimizer)) return std::make_unique<torch::optim::SGDParamState>();
  if (dynamic_cast<torch::optim::RMSprop*>(&optimizer)) return std::make_unique<torch::optim::RMSpropParamState>();
  TORCH_CHECK(false, "GanLab cannot restore the state of this optimizer type");
}

// Copies `value` into the field; tensors become the parameter's dtype and device and get their own
// storage, because the optimizer updates them in place.
void write_field(OptimizerParamState& state, const std::string& field, const at::Tensor& value, const at::Tensor& parameter) {
  auto tensor = [&]() {
    TORCH_CHECK(value.sizes() == parameter.sizes(), "optimizer state '", field, "' has shape ", value.sizes(),
                " but its parameter has shape ", parameter.sizes());
    return value.detach().to(parameter.device(), parameter.scalar_type(), /*non_blocking=*/false, /*copy=*/true);
  };
  if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(&state)) {
    if (field == "step") { adam->step(step_of(value)); return; }
    if (field == "exp_avg") { adam->exp_avg(tensor()); return; }
    if (field == "exp_avg_sq") { adam->exp_avg_sq(tensor()); return; }
    if (field == "max_exp_avg_sq") { adam->max_exp_avg_sq(tensor()); return; }
  } else if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(&state)) {
    if (field == "momentum_buffer") { sgd->momentum_buffer(tensor()); return; }
  } else if (auto* rms = dynamic_cast<torch::optim::RMSpropParamState*>(&state)) {
    if (field == "step") { rms->step(step_of(value)); return; }
    if (field == "square_avg") { rms->square_avg(tensor()); return; }
    if (field == "momentum_buffer") { rms->momentum_buffer(tensor()); return; }
    if (field == "grad_avg") { rms->grad_avg(tensor()); return; }
  }
  TORCH_CHECK(false, "this optimizer's state has no field '", field, "'");
}
// Adam with libtorch's multi-tensor (_foreach_) kernels: each stage of the update runs over all
// parameters in one call instead of one call per parameter. On a GPU that is one kernel launch
// instead of six for a three-layer MLP, and launches are most of a small GAN's optimizer time.
// The arithmetic, its order and the state objects are torch::optim::Adam's (AdamParamState), so
// checkpoints and the PyTorch trajectory tests hold unchanged.
class ForeachAdam final : public torch::optim::Adam {
 public:
  using Adam::Adam;

  torch::Tensor step(LossClosure closure = nullptr) override {
    at::NoGradGuard no_grad;
    torch::Tensor loss;
    if (closure) {
      at::AutoGradMode enable_grad(true);
      loss = closure();
    }
    for (auto& group : param_groups_) {
      auto& options = static_cast<torch::optim::AdamOptions&>(group.options());
      TORCH_CHECK(!options.amsgrad(), "GanLab's Adam does not implement amsgrad");
      const auto beta1 = std::get<0>(options.betas());
      const auto beta2 = std::get<1>(options.betas());
      std::vector<at::Tensor> params, grads, exp_avgs, exp_avg_sqs;
      std::vector<at::Scalar> bias_correction2_sqrt, negative_step_size;
      for (auto& p : group.params()) {
        if (!p.grad().defined()) continue;
        auto key = state_key(state_, p);
        if (state_.find(key) == state_.end()) {
          auto fresh = std::make_unique<torch::optim::AdamParamState>();
          fresh->step(0);
          fresh->exp_avg(at::zeros_like(p, at::MemoryFormat::Preserve));
          fresh->exp_avg_sq(at::zeros_like(p, at::MemoryFormat::Preserve));
          state_[key] = std::move(fresh);
        }
        auto& state = static_cast<torch::optim::AdamParamState&>(*state_[key]);
        state.step(state.step() + 1);
        // Steps can differ between parameters (one without a gradient skips a step), so the bias
        // corrections go per parameter as scalar lists.
        bias_correction2_sqrt.emplace_back(std::sqrt(1 - std::pow(beta2, state.step())));
        negative_step_size.emplace_back(-options.lr() / (1 - std::pow(beta1, state.step())));
        params.push_back(p);
        grads.push_back(p.grad());
        exp_avgs.push_back(state.exp_avg());
        exp_avg_sqs.push_back(state.exp_avg_sq());
      }
      if (params.empty()) continue;
      if (options.weight_decay() != 0) grads = at::_foreach_add(grads, params, options.weight_decay());
      at::_foreach_mul_(exp_avgs, beta1);
      at::_foreach_add_(exp_avgs, grads, 1 - beta1);
      at::_foreach_mul_(exp_avg_sqs, beta2);
      at::_foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2);
      auto denominators = at::_foreach_sqrt(exp_avg_sqs);
      at::_foreach_div_(denominators, bias_correction2_sqrt);
      at::_foreach_add_(denominators, options.eps());
      at::_foreach_addcdiv_(params, exp_avgs, denominators, negative_step_size);
    }
    return loss;
  }
};
}  // namespace

GANLAB_EXPORT void* ganlab_adam_new(TensorHandle* params, int count, double lr, double beta1, double beta2, double eps, double weight_decay) {
  GANLAB_TRY(nullptr,
    auto options = torch::optim::AdamOptions(lr).betas(std::make_tuple(beta1, beta2)).eps(eps).weight_decay(weight_decay);
    return static_cast<Optimizer*>(new ForeachAdam(ganlab::tensors_of(params, count), options));)
}

GANLAB_EXPORT void* ganlab_sgd_new(TensorHandle* params, int count, double lr, double momentum, double dampening, double weight_decay, int nesterov) {
  GANLAB_TRY(nullptr,
    auto options = torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening).weight_decay(weight_decay).nesterov(nesterov != 0);
    return static_cast<Optimizer*>(new torch::optim::SGD(ganlab::tensors_of(params, count), options));)
}

GANLAB_EXPORT void* ganlab_rmsprop_new(TensorHandle* params, int count, double lr, double alpha, double eps, double weight_decay, double momentum, int centered) {
  GANLAB_TRY(nullptr,
    auto options = torch::optim::RMSpropOptions(lr).alpha(alpha).eps(eps).weight_decay(weight_decay).momentum(momentum).centered(centered != 0);
    return static_cast<Optimizer*>(new torch::optim::RMSprop(ganlab::tensors_of(params, count), options));)
}

GANLAB_EXPORT int ganlab_optimizer_step(void* optimizer) {
  GANLAB_STATUS(optimizer_of(optimizer)->step();)
}

GANLAB_EXPORT int ganlab_optimizer_zero_grad(void* optimizer) {
  GANLAB_STATUS(optimizer_of(optimizer)->zero_grad();)
}

GANLAB_EXPORT void ganlab_optimizer_free(void* optimizer) { delete optimizer_of(optimizer); }

// The learning rate of the first param group (GanLab's optimizers have one).
GANLAB_EXPORT int ganlab_optimizer_get_lr(void* optimizer, double* lr) {
  GANLAB_STATUS(
    auto& groups = optimizer_of(optimizer)->param_groups();
    TORCH_CHECK(!groups.empty(), "optimizer has no param groups");
    *lr = groups.front().options().get_lr();)
}

// Sets every param group's learning rate; the next step() uses it (lessons change it between runs).
GANLAB_EXPORT int ganlab_optimizer_set_lr(void* optimizer, double lr) {
  GANLAB_STATUS(
    TORCH_CHECK(lr >= 0, "learning rate must not be negative, got ", lr);
    for (auto& group : optimizer_of(optimizer)->param_groups()) group.options().set_lr(lr);)
}

GANLAB_EXPORT int ganlab_optimizer_param_count(void* optimizer) {
  GANLAB_TRY(-1, return parameter_count(*optimizer_of(optimizer));)
}

// 1 when the parameter has state (it took at least one step), 0 when not, -1 on error.
GANLAB_EXPORT int ganlab_optimizer_has_state(void* optimizer, int index) {
  GANLAB_TRY(-1,
    auto& opt = *optimizer_of(optimizer);
    return find_state(opt, parameter_at(opt, index)) ? 1 : 0;)
}

// A copy of one state field; *value is null when the parameter has no state or the field is unset.
GANLAB_EXPORT int ganlab_optimizer_get_state(void* optimizer, int index, const char* field, TensorHandle* value) {
  GANLAB_STATUS(
    auto& opt = *optimizer_of(optimizer);
    auto* state = find_state(opt, parameter_at(opt, index));
    at::Tensor result = state ? read_field(*state, field) : at::Tensor();
    *value = result.defined() ? ganlab::wrap(result.detach().clone()) : nullptr;)
}

// Replaces a parameter's whole state with the given fields. The new state is built completely
// before it replaces the old one, so a bad field leaves the optimizer as it was.
GANLAB_EXPORT int ganlab_optimizer_set_state(void* optimizer, int index, const char** fields, TensorHandle* values, int count) {
  GANLAB_STATUS(
    auto& opt = *optimizer_of(optimizer);
    const auto& parameter = parameter_at(opt, index);
    auto state = new_state(opt);
    for (int i = 0; i < count; ++i) write_field(*state, fields[i], *values[i], parameter);
    auto& map = opt.state();
    map[state_key(map, parameter)] = std::move(state);)
}

// Forgets a parameter's state, as if it had never taken a step.
GANLAB_EXPORT int ganlab_optimizer_clear_state(void* optimizer, int index) {
  GANLAB_STATUS(
    auto& opt = *optimizer_of(optimizer);
    auto& map = opt.state();
    map.erase(state_key(map, parameter_at(opt, index)));)
}
