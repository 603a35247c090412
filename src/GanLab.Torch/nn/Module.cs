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

            /// <summary>Number of scalars in the parameters, like Keras' "Total params".</summary>
            public long parameter_count() => parameters().Sum(p => p.numel());

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
    }
}
