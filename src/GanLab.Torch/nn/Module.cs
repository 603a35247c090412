namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A network or a layer. Parameters, buffers and submodules are registered explicitly (no reflection),
        /// in order, so parameter lists, counts and saved state are predictable. A module owns its tensors.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<(string Name, Tensor Tensor)> ownParameters = new();
            private readonly List<(string Name, Tensor Tensor)> ownBuffers = new();
            private readonly List<(string Name, Module Module)> children = new();

            public bool training { get; private set; } = true;

            protected Tensor register_parameter(string name, Tensor parameter)
            {
                parameter.DetachFromDisposeScope().requires_grad = true;
                ownParameters.Add((name, parameter));
                return parameter;
            }

            protected Tensor register_buffer(string name, Tensor buffer)
            {
                ownBuffers.Add((name, buffer.DetachFromDisposeScope()));
                return buffer;
            }

            protected T register_module<T>(string name, T module) where T : Module
            {
                children.Add((name, module));
                return module;
            }

            public IEnumerable<(string Name, Module Module)> named_children() => children;

            public IEnumerable<(string Name, Tensor Parameter)> named_parameters(string prefix = "")
            {
                foreach (var (name, p) in ownParameters) yield return (prefix + name, p);
                foreach (var (name, child) in children)
                foreach (var item in child.named_parameters(prefix + name + "."))
                    yield return item;
            }

            public IEnumerable<(string Name, Tensor Buffer)> named_buffers(string prefix = "")
            {
                foreach (var (name, b) in ownBuffers) yield return (prefix + name, b);
                foreach (var (name, child) in children)
                foreach (var item in child.named_buffers(prefix + name + "."))
                    yield return item;
            }

            public IEnumerable<Tensor> parameters() => named_parameters().Select(p => p.Parameter);

            /// <summary>
            /// Number of scalars in the parameters. With no argument, all of them (Keras' "Total params" for layers
            /// without buffers); trainable: true counts those with requires_grad, false those frozen with
            /// requires_grad = false. Buffers (BatchNorm's running mean and variance) are not parameters and are
            /// never counted here, as in PyTorch: see <see cref="buffer_count"/>. Keras differs: it lists BN's moving
            /// mean and variance as "Non-trainable params". To compare with a Keras summary, add the running statistics
            /// from buffer_count(), less any one-element num_batches_tracked counter a BN layer keeps (Keras has none).
            /// </summary>
            public long parameter_count(bool? trainable = null) =>
                parameters().Where(p => trainable is null || p.requires_grad == trainable).Sum(p => p.numel());

            /// <summary>Number of scalars in the buffers (state that is saved but not trained, such as running statistics).</summary>
            public long buffer_count() => named_buffers().Sum(b => b.Buffer.numel());

            /// <summary>Freezes (false) or unfreezes (true) every parameter, as PyTorch's Module.requires_grad_.</summary>
            public Module requires_grad_(bool requires_grad = true)
            {
                foreach (var p in parameters()) p.requires_grad = requires_grad;
                return this;
            }

            /// <summary>
            /// Everything a saved model needs, by dotted name, in PyTorch's order: each module's own parameters, then
            /// its own buffers, then its submodules'. The tensors are the module's own (not copies): read them or copy
            /// from them, but do not dispose them.
            /// </summary>
            public OrderedDictionary<string, Tensor> state_dict()
            {
                var state = new OrderedDictionary<string, Tensor>();
                foreach (var (name, tensor) in named_state("")) state.Add(name, tensor);
                return state;
            }

            private IEnumerable<(string Name, Tensor Tensor)> named_state(string prefix)
            {
                foreach (var (name, p) in ownParameters) yield return (prefix + name, p);
                foreach (var (name, b) in ownBuffers) yield return (prefix + name, b);
                foreach (var (name, child) in children)
                foreach (var item in child.named_state(prefix + name + "."))
                    yield return item;
            }

            /// <summary>
            /// Copies saved values into this module's parameters and buffers (under no_grad, into the existing tensors,
            /// so optimizers holding them stay valid). Every name and shape is checked first, and all problems are
            /// reported together; only when there are none is anything copied, so a mismatch changes nothing.
            /// Values are converted to each tensor's dtype and device, as PyTorch's copy_ does.
            /// </summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                var problems = StateProblems(state.ToDictionary(s => s.Key, s => s.Value.shape));
                if (problems.Count > 0)
                    throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n  " + string.Join("\n  ", problems));
                using (torch.no_grad())
                    foreach (var (name, tensor) in named_state(""))
                        tensor.copy_(state[name]);
            }

            /// <summary>Everything that stops a saved state with these names and shapes from loading: missing, unexpected, wrong shape.</summary>
            internal List<string> StateProblems(IReadOnlyDictionary<string, long[]> shapes)
            {
                var problems = new List<string>();
                var own = named_state("").ToList();
                foreach (var (name, tensor) in own)
                {
                    if (!shapes.TryGetValue(name, out var shape)) problems.Add($"missing key '{name}'");
                    else if (!shape.SequenceEqual(tensor.shape))
                        problems.Add($"size mismatch for '{name}': the saved tensor has shape [{string.Join(", ", shape)}], " +
                                     $"this model's has [{string.Join(", ", tensor.shape)}]");
                }
                var ownNames = own.Select(o => o.Name).ToHashSet();
                foreach (var name in shapes.Keys.Where(n => !ownNames.Contains(n))) problems.Add($"unexpected key '{name}'");
                return problems;
            }

            public Module train(bool on = true)
            {
                training = on;
                foreach (var (_, child) in children) child.train(on);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves parameters and buffers in place, so optimizers created earlier stay valid.</summary>
            public Module to(Device device)
            {
                foreach (var p in parameters()) p.MoveDataTo(device);
                foreach (var (_, b) in named_buffers()) b.MoveDataTo(device);
                return this;
            }

            public void Dispose()
            {
                foreach (var (_, p) in ownParameters) p.Dispose();
                foreach (var (_, b) in ownBuffers) b.Dispose();
                foreach (var (_, child) in children) child.Dispose();
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>A module with a forward pass from one tensor to one tensor.</summary>
        public abstract class Module<TIn, TOut> : Module
        {
            public abstract TOut forward(TIn input);

            public TOut call(TIn input) => forward(input);
        }

        /// <summary>A module with a forward pass from two tensors to one, e.g. a conditional GAN's G(z, y) and D(x, y).</summary>
        public abstract class Module<TIn1, TIn2, TOut> : Module
        {
            public abstract TOut forward(TIn1 input1, TIn2 input2);

            public TOut call(TIn1 input1, TIn2 input2) => forward(input1, input2);
        }
    }
}
