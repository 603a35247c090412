using System.Runtime.InteropServices;
using GanLab.Torch.Native;

namespace GanLab.Torch;

public static partial class torch
{
    public static class optim
    {
        /// <summary>
        /// An optimizer implemented by libtorch, holding its own references to the parameters and its state.
        /// Parameters are numbered 0, 1, ... in the order given, as in PyTorch's optimizer state_dict.
        /// </summary>
        public abstract unsafe class Optimizer : IDisposable
        {
            private IntPtr native;
            private readonly Tensor[] parameterList;

            private protected Optimizer(IEnumerable<Tensor> parameters, Func<IntPtr, int, IntPtr> make)
            {
                parameterList = parameters.ToArray();
                if (parameterList.Length == 0) throw new ArgumentException("an optimizer needs at least one parameter");
                var handles = parameterList.Select(p => p.Handle).ToArray();
                fixed (IntPtr* h = handles) native = NativeMethods.Check(make((IntPtr)h, handles.Length));
                GC.KeepAlive(parameterList);
            }

            private IntPtr Handle => native != IntPtr.Zero ? native : throw new ObjectDisposedException(GetType().Name);

            /// <summary>The parameters this optimizer updates, in its numbering. It does not own them: their module does.</summary>
            public IReadOnlyList<Tensor> parameters => parameterList;

            /// <summary>
            /// The state fields libtorch keeps per parameter for this algorithm (PyTorch's names), in the order
            /// they are saved. A field a setting does not use (momentum_buffer without momentum) is simply absent.
            /// </summary>
            public abstract IReadOnlyList<string> state_fields { get; }

            public void step() => NativeMethods.Check(NativeMethods.ganlab_optimizer_step(Handle));
            public void zero_grad() => NativeMethods.Check(NativeMethods.ganlab_optimizer_zero_grad(Handle));

            /// <summary>
            /// The learning rate (PyTorch's <c>param_groups[0]["lr"]</c>). Setting it changes every param group and
            /// takes effect at the next step, keeping the moments: lessons change it between runs of one model.
            /// </summary>
            public double lr
            {
                get
                {
                    double value;
                    NativeMethods.Check(NativeMethods.ganlab_optimizer_get_lr(Handle, &value));
                    return value;
                }
                set => NativeMethods.Check(NativeMethods.ganlab_optimizer_set_lr(Handle, value));
            }

            /// <summary>
            /// A copy of the optimizer's state: the learning rate and, for each parameter that has taken a step,
            /// its state tensors. The caller owns the result (dispose it); the optimizer is not affected by it.
            /// </summary>
            public OptimizerState state_dict()
            {
                var perParameter = new Dictionary<int, IReadOnlyDictionary<string, Tensor>>();
                for (var i = 0; i < parameterList.Length; i++)
                {
                    var has = NativeMethods.ganlab_optimizer_has_state(Handle, i);
                    if (has < 0) NativeMethods.ThrowLastError();
                    if (has == 0) continue;
                    var fields = new Dictionary<string, Tensor>();
                    foreach (var field in state_fields)
                    {
                        IntPtr value;
                        NativeMethods.Check(NativeMethods.ganlab_optimizer_get_state(Handle, i, field, &value));
                        if (value != IntPtr.Zero) fields[field] = new Tensor(value).DetachFromDisposeScope();
                    }
                    perParameter[i] = fields;
                }
                return new OptimizerState(GetType().Name, lr, parameterList.Length, perParameter);
            }

            /// <summary>
            /// Restores a state from <see cref="state_dict"/> (or a checkpoint). Everything is checked first (optimizer
            /// type, parameter count, field names, shapes); only then is anything changed, so a mismatch changes nothing.
            /// Parameters without saved state lose theirs, as if they had never stepped. The learning rate is restored too.
            /// </summary>
            public void load_state_dict(OptimizerState state)
            {
                var problems = StateProblems(state.type, state.parameter_count,
                    state.state.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, long[]>)s.Value.ToDictionary(f => f.Key, f => f.Value.shape)));
                if (problems.Count > 0)
                    throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n  " + string.Join("\n  ", problems));
                Apply(state);
            }

            /// <summary>Everything wrong with a saved state for this optimizer, from names and shapes alone.</summary>
            internal List<string> StateProblems(string type, int parameterCount, IReadOnlyDictionary<int, IReadOnlyDictionary<string, long[]>> shapes)
            {
                var problems = new List<string>();
                if (type != GetType().Name) problems.Add($"the state is {type}'s but this optimizer is {GetType().Name}");
                if (parameterCount != parameterList.Length)
                    problems.Add($"the state is for {parameterCount} parameters but this optimizer has {parameterList.Length}");
                foreach (var (index, fields) in shapes.OrderBy(s => s.Key))
                {
                    if (index < 0 || index >= parameterList.Length)
                    {
                        problems.Add($"state for parameter {index}, which this optimizer does not have");
                        continue;
                    }
                    var expected = parameterList[index].shape;
                    foreach (var (field, shape) in fields)
                    {
                        if (!state_fields.Contains(field)) problems.Add($"parameter {index}: unknown state field '{field}' for {GetType().Name}");
                        else if (field == "step") { if (shape.Aggregate(1L, (a, b) => a * b) != 1) problems.Add($"parameter {index}: 'step' must be one number, got shape {Shape(shape)}"); }
                        else if (!shape.SequenceEqual(expected))
                            problems.Add($"parameter {index}: '{field}' has shape {Shape(shape)} but the parameter has shape {Shape(expected)}");
                    }
                }
                return problems;
            }

            /// <summary>Writes a state that <see cref="StateProblems"/> accepted.</summary>
            internal void Apply(OptimizerState state)
            {
                for (var i = 0; i < parameterList.Length; i++)
                {
                    if (!state.state.TryGetValue(i, out var fields))
                    {
                        NativeMethods.Check(NativeMethods.ganlab_optimizer_clear_state(Handle, i));
                        continue;
                    }
                    var names = fields.Keys.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
                    var handles = fields.Values.Select(t => t.Handle).ToArray();
                    try
                    {
                        fixed (IntPtr* n = names)
                        fixed (IntPtr* h = handles)
                            NativeMethods.Check(NativeMethods.ganlab_optimizer_set_state(Handle, i, (byte**)n, h, handles.Length));
                    }
                    finally
                    {
                        foreach (var name in names) Marshal.FreeCoTaskMem(name);
                    }
                    GC.KeepAlive(fields);
                }
                lr = state.lr;
            }

            private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

            public void Dispose()
            {
                if (native == IntPtr.Zero) return;
                NativeMethods.ganlab_optimizer_free(native);
                native = IntPtr.Zero;
                GC.SuppressFinalize(this);
            }

            ~Optimizer() => Dispose();
        }

        /// <summary>
        /// An optimizer's saved state, shaped like PyTorch's optimizer state_dict: <see cref="state"/> maps a parameter's
        /// index to its state tensors; parameters that never stepped have no entry. Owns its tensors.
        /// </summary>
        public sealed class OptimizerState(string type, double lr, int parameterCount, IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> state) : IDisposable
        {
            /// <summary>The optimizer's class name ("Adam", "SGD", "RMSprop"): a state only loads into the same kind.</summary>
            public string type { get; } = type;
            public double lr { get; } = lr;
            public int parameter_count { get; } = parameterCount;
            public IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> state { get; } = state;

            public void Dispose()
            {
                foreach (var fields in state.Values)
                foreach (var tensor in fields.Values)
                    tensor.Dispose();
            }
        }

        /// <summary>Adam (Kingma and Ba); weight_decay is PyTorch's L2 term, not AdamW's decoupled decay.</summary>
        public sealed class Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0)
            : Optimizer(parameters, (h, n) => Make(h, n, lr, beta1, beta2, eps, weight_decay))
        {
            private static readonly string[] Fields = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"];
            public override IReadOnlyList<string> state_fields => Fields;

            private static unsafe IntPtr Make(IntPtr handles, int count, double lr, double beta1, double beta2, double eps, double weightDecay)
            {
                if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
                return NativeMethods.ganlab_adam_new((IntPtr*)handles, count, lr, beta1, beta2, eps, weightDecay);
            }
        }

        /// <summary>
        /// Stochastic gradient descent with optional momentum (Goodfellow et al.'s Algorithm 1 uses it), PyTorch's form:
        /// v ← μ·v + (1 − dampening)·g, p ← p − lr·v (Nesterov: p ← p − lr·(g + μ·v)); weight_decay adds λ·p to g.
        /// </summary>
        public sealed class SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false)
            : Optimizer(parameters, (h, n) => Make(h, n, lr, momentum, dampening, weight_decay, nesterov))
        {
            private static readonly string[] Fields = ["momentum_buffer"];
            public override IReadOnlyList<string> state_fields => Fields;

            private static unsafe IntPtr Make(IntPtr handles, int count, double lr, double momentum, double dampening, double weightDecay, bool nesterov)
            {
                if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
                if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must not be negative");
                // PyTorch's rule: Nesterov's look-ahead is defined only for undamped momentum.
                if (nesterov && (momentum <= 0 || dampening != 0))
                    throw new ArgumentException("Nesterov momentum requires a positive momentum and zero dampening", nameof(nesterov));
                return NativeMethods.ganlab_sgd_new((IntPtr*)handles, count, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0);
            }
        }

        /// <summary>
        /// RMSprop (Hinton), PyTorch's form: the WGAN paper's optimizer. alpha is the decay of the squared-gradient
        /// average; centered divides by an estimate of the variance instead of the raw second moment.
        /// </summary>
        public sealed class RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false)
            : Optimizer(parameters, (h, n) => Make(h, n, lr, alpha, eps, weight_decay, momentum, centered))
        {
            private static readonly string[] Fields = ["step", "square_avg", "momentum_buffer", "grad_avg"];
            public override IReadOnlyList<string> state_fields => Fields;

            private static unsafe IntPtr Make(IntPtr handles, int count, double lr, double alpha, double eps, double weightDecay, double momentum, bool centered)
            {
                if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
                if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1]");
                return NativeMethods.ganlab_rmsprop_new((IntPtr*)handles, count, lr, alpha, eps, weightDecay, momentum, centered ? 1 : 0);
            }
        }
    }
}
