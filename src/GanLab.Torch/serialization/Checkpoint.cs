using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GanLab.Torch;

/// <summary>
/// GanLab's own checkpoint format: modules' state, optimizers' state and a JSON metadata section (the run's
/// options record, the step counter, ...). Not TorchScript or pickle zips, which tie a file to the libtorch
/// version that wrote it; this one is plain bytes that any build of GanLab reads.
///
/// Layout, little-endian throughout (format version 1):
/// <code>
///   "GANLABCK"                 8 bytes, magic
///   uint32  format version     (1)
///   uint64  body length B
///   body                       B bytes:
///     uint32 M, M bytes        the metadata section, UTF-8 JSON
///     uint32 R                 number of tensor records, then R times:
///       uint16 n, n bytes      name, UTF-8: "module/&lt;key&gt;/&lt;dotted name&gt;", "optimizer/&lt;key&gt;/&lt;index&gt;/&lt;field&gt;"
///                              or "tensor/&lt;key&gt;" (a loose tensor, e.g. a random generator's state)
///       uint8 n, n bytes       dtype, ASCII: "float32", "int64", ...
///       uint8 d, d × int64     shape
///       uint64 L, L bytes      elements, row-major, L = numel × element size
///   uint32  CRC-32 of every byte before it
/// </code>
/// The length says whether the file is complete; the CRC whether any byte changed.
/// </summary>
public static class Checkpoint
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "GANLABCK"u8.ToArray();
    private const int HeaderLength = 8 + 4 + 8;
    private const int TrailerLength = 4;

    /// <summary>
    /// Writes the modules' state_dicts, the optimizers' states and the metadata to <paramref name="path"/>.
    /// The file is written beside the target under a temporary name and renamed over it only when complete,
    /// so a crash mid-write leaves the previous checkpoint (or none), never half a file.
    /// Keys name each module and optimizer in the file (e.g. "generator", "generator_optimizer"); loose
    /// <paramref name="tensors"/> are state that belongs to no module, such as a random stream or an epoch's order.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, torch.nn.Module> modules,
        IReadOnlyDictionary<string, torch.optim.Optimizer>? optimizers = null, JsonNode? metadata = null,
        IReadOnlyDictionary<string, Tensor>? tensors = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("GanLab checkpoints are written on little-endian machines only");
        optimizers ??= new Dictionary<string, torch.optim.Optimizer>();
        tensors ??= new Dictionary<string, Tensor>();
        foreach (var key in modules.Keys.Concat(optimizers.Keys).Concat(tensors.Keys)) CheckKey(key);

        var records = new List<(string Name, Tensor Tensor)>();
        var optimizerStates = new List<torch.optim.OptimizerState>();
        try
        {
            var optimizerInfo = new JsonObject();
            foreach (var (key, module) in modules)
            foreach (var (name, tensor) in module.state_dict())
                records.Add(($"module/{key}/{name}", tensor));
            foreach (var (key, optimizer) in optimizers)
            {
                var state = optimizer.state_dict();
                optimizerStates.Add(state);
                optimizerInfo[key] = new JsonObject { ["type"] = state.type, ["lr"] = state.lr, ["parameter_count"] = state.parameter_count };
                foreach (var (index, fields) in state.state.OrderBy(s => s.Key))
                foreach (var (field, tensor) in fields)
                    records.Add(($"optimizer/{key}/{index}/{field}", tensor));
            }
            foreach (var (key, tensor) in tensors)
                records.Add(($"tensor/{key}", tensor));
            var header = new JsonObject
            {
                ["format"] = "GanLab checkpoint",
                ["libtorch"] = torch.version,
                ["saved_utc"] = DateTime.UtcNow.ToString("O"),
                ["modules"] = new JsonArray(modules.Keys.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                ["optimizers"] = optimizerInfo,
                ["metadata"] = metadata?.DeepClone(),
            };
            WriteAtomically(path, Encoding.UTF8.GetBytes(header.ToJsonString()), records);
        }
        finally
        {
            foreach (var state in optimizerStates) state.Dispose();
        }
    }

    /// <summary>
    /// Loads the named modules and optimizers from a checkpoint and returns its metadata section.
    /// The whole file is checked first (complete, CRC intact, every requested module and optimizer present with
    /// matching names and shapes); only then is anything copied, so a bad file changes nothing and the exception
    /// says what is wrong. The file may hold more than is asked for (e.g. load only the generator to sample).
    /// </summary>
    public static JsonNode? Load(string path, IReadOnlyDictionary<string, torch.nn.Module> modules,
        IReadOnlyDictionary<string, torch.optim.Optimizer>? optimizers = null)
    {
        var metadata = Load(path, modules, optimizers, out var tensors);
        foreach (var t in tensors.Values) t.Dispose();
        return metadata;
    }

    /// <summary>
    /// <see cref="Load(string, IReadOnlyDictionary{string, torch.nn.Module}, IReadOnlyDictionary{string, torch.optim.Optimizer}?)"/>,
    /// also returning the file's loose tensors by key, as new CPU tensors outside any dispose scope that the caller owns.
    /// </summary>
    public static JsonNode? Load(string path, IReadOnlyDictionary<string, torch.nn.Module> modules,
        IReadOnlyDictionary<string, torch.optim.Optimizer>? optimizers, out Dictionary<string, Tensor> tensors)
    {
        optimizers ??= new Dictionary<string, torch.optim.Optimizer>();
        var file = Read(path);
        var problems = new List<string>();

        var moduleRecords = new Dictionary<string, Dictionary<string, Record>>();
        var savedModules = file.Header["modules"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (key, module) in modules)
        {
            if (!savedModules.Contains(key))
            {
                problems.Add($"module '{key}' is not in the file (it holds {Names(savedModules)})");
                continue;
            }
            var prefix = $"module/{key}/";
            var records = file.Records.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(r => r.Name[prefix.Length..]);
            moduleRecords[key] = records;
            problems.AddRange(module.StateProblems(records.ToDictionary(r => r.Key, r => r.Value.Shape)).Select(p => $"module '{key}': {p}"));
        }

        var optimizerRecords = new Dictionary<string, (JsonNode Info, Dictionary<int, Dictionary<string, Record>> State)>();
        var savedOptimizers = file.Header["optimizers"]?.AsObject();
        foreach (var (key, optimizer) in optimizers)
        {
            var info = savedOptimizers?[key];
            if (info is null)
            {
                problems.Add($"optimizer '{key}' is not in the file (it holds {Names(savedOptimizers?.Select(o => o.Key) ?? [])})");
                continue;
            }
            if (info["type"] is not JsonValue || info["lr"] is not JsonValue || info["parameter_count"] is not JsonValue)
            {
                problems.Add($"optimizer '{key}': the metadata section lacks its type, lr or parameter_count");
                continue;
            }
            var prefix = $"optimizer/{key}/";
            var state = new Dictionary<int, Dictionary<string, Record>>();
            foreach (var record in file.Records.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var parts = record.Name[prefix.Length..].Split('/');
                if (parts.Length != 2 || !int.TryParse(parts[0], out var index))
                {
                    problems.Add($"optimizer '{key}': malformed record name '{record.Name}'");
                    continue;
                }
                if (!state.TryGetValue(index, out var fields)) state[index] = fields = new();
                fields[parts[1]] = record;
            }
            optimizerRecords[key] = (info, state);
            problems.AddRange(optimizer.StateProblems(info["type"]!.GetValue<string>(), info["parameter_count"]!.GetValue<int>(),
                    state.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, long[]>)s.Value.ToDictionary(f => f.Key, f => f.Value.Shape)))
                .Select(p => $"optimizer '{key}': {p}"));
        }

        if (problems.Count > 0)
            throw new CheckpointException($"checkpoint {path} does not fit; nothing was loaded:\n  " + string.Join("\n  ", problems));

        // Everything fits: copy. Tensors made from the file live only for this scope.
        using var scope = torch.NewDisposeScope();
        foreach (var (key, module) in modules)
            module.load_state_dict(moduleRecords[key].ToDictionary(r => r.Key, r => r.Value.ToTensor(file.Bytes)));
        foreach (var (key, optimizer) in optimizers)
        {
            var (info, state) = optimizerRecords[key];
            var restored = new torch.optim.OptimizerState(info["type"]!.GetValue<string>(), info["lr"]!.GetValue<double>(), info["parameter_count"]!.GetValue<int>(),
                state.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, Tensor>)s.Value.ToDictionary(f => f.Key, f => f.Value.ToTensor(file.Bytes))));
            optimizer.Apply(restored);
        }
        const string loose = "tensor/";
        tensors = file.Records.Where(r => r.Name.StartsWith(loose, StringComparison.Ordinal))
            .ToDictionary(r => r.Name[loose.Length..], r => r.ToTensor(file.Bytes).DetachFromDisposeScope());
        return file.Header["metadata"]?.DeepClone();
    }

    /// <summary>
    /// The metadata section alone (after the same completeness and CRC checks): a resumed run reads its options
    /// record here first, builds its models from it, and then calls <see cref="Load"/>.
    /// </summary>
    public static JsonNode? ReadMetadata(string path) => Read(path).Header["metadata"]?.DeepClone();

    // ---- writing ----

    private static void WriteAtomically(string path, byte[] header, List<(string Name, Tensor Tensor)> records)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var writer = new CrcWriter(stream);
                var dtypes = records.Select(r => DtypeName(r.Tensor.dtype)).ToArray();
                var shapes = records.Select(r => r.Tensor.shape).ToArray();
                long bodyLength = 4 + header.Length + 4;
                for (var i = 0; i < records.Count; i++)
                    bodyLength += 2 + Encoding.UTF8.GetByteCount(records[i].Name) + 1 + dtypes[i].Length + 1 + 8L * shapes[i].Length
                                  + 8 + records[i].Tensor.numel() * Tensor.ElementSize(records[i].Tensor.dtype);

                writer.Write(Magic);
                writer.UInt32((uint)FormatVersion);
                writer.UInt64((ulong)bodyLength);
                writer.UInt32((uint)header.Length);
                writer.Write(header);
                writer.UInt32((uint)records.Count);
                for (var i = 0; i < records.Count; i++)
                {
                    var name = Encoding.UTF8.GetBytes(records[i].Name);
                    if (name.Length > ushort.MaxValue) throw new ArgumentException($"tensor name too long for a checkpoint: {records[i].Name}");
                    writer.UInt16((ushort)name.Length);
                    writer.Write(name);
                    writer.Byte((byte)dtypes[i].Length);
                    writer.Write(Encoding.ASCII.GetBytes(dtypes[i]));
                    writer.Byte((byte)shapes[i].Length);
                    foreach (var size in shapes[i]) writer.UInt64((ulong)size);
                    var data = records[i].Tensor.ToRawBytes();
                    writer.UInt64((ulong)data.Length);
                    writer.Write(data);
                }
                if (writer.Written != HeaderLength + bodyLength)
                    throw new InvalidOperationException($"checkpoint writer computed {bodyLength} body bytes but wrote {writer.Written - HeaderLength}");
                Span<byte> crc = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Final(writer.Crc));
                stream.Write(crc);
                // On disk before the rename, or a power cut could leave the new name pointing at unwritten blocks.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes to a stream while keeping a running CRC and byte count.</summary>
    private sealed class CrcWriter(Stream stream)
    {
        public uint Crc { get; private set; } = Crc32.Initial;
        public long Written { get; private set; }

        public void Write(ReadOnlySpan<byte> data)
        {
            Crc = Crc32.Update(Crc, data);
            Written += data.Length;
            stream.Write(data);
        }

        public void Byte(byte value) => Write([value]);

        public void UInt16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
            Write(b);
        }

        public void UInt32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            Write(b);
        }

        public void UInt64(ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            Write(b);
        }
    }

    // ---- reading ----

    private sealed record Record(string Name, ScalarType Dtype, long[] Shape, long Offset, long Length)
    {
        public Tensor ToTensor(byte[] bytes) => Tensor.FromRawBytes(bytes.AsSpan(checked((int)Offset), checked((int)Length)), Dtype, Shape);
    }

    private sealed record ParsedFile(byte[] Bytes, JsonNode Header, List<Record> Records);

    /// <summary>Reads and checks the whole file: magic, version, length, CRC, then every record's bounds.</summary>
    private static ParsedFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        CheckpointException Bad(string why) => new($"checkpoint {path}: {why}");

        var magicLength = Math.Min(bytes.Length, Magic.Length);
        if (!bytes.AsSpan(0, magicLength).SequenceEqual(Magic.AsSpan(0, magicLength)))
            throw Bad($"not a GanLab checkpoint (it does not start with \"GANLABCK\")");
        if (bytes.Length < HeaderLength + TrailerLength)
            throw Bad($"file truncated at byte {bytes.Length}: even an empty checkpoint has {HeaderLength + TrailerLength} bytes");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion) throw Bad($"format version {version}; this GanLab reads version {FormatVersion}");
        var bodyLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        var expected = (ulong)HeaderLength + bodyLength + TrailerLength;
        if ((ulong)bytes.Length < expected) throw Bad($"file truncated at byte {bytes.Length}: the header says it has {expected} bytes");
        if ((ulong)bytes.Length > expected) throw Bad($"{(ulong)bytes.Length - expected} unexpected bytes after the end ({expected} bytes); the file is corrupted");
        var end = bytes.Length - TrailerLength;
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end));
        var computed = Crc32.Compute(bytes.AsSpan(0, end));
        if (stored != computed) throw Bad($"checksum mismatch (stored CRC-32 {stored:x8}, computed {computed:x8}): the file is corrupted");

        // The CRC passed, so a bounds failure below means a writer bug, not a damaged disk; still say where.
        var position = HeaderLength;
        ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || position + (long)count > end) throw Bad($"record runs past the end of the data at byte {position}");
            var span = bytes.AsSpan(position, count);
            position += count;
            return span;
        }
        var headerJson = Take((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(4)));
        JsonNode header;
        try { header = JsonNode.Parse(headerJson) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw Bad($"metadata section is not valid JSON: {e.Message}"); }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        var records = new List<Record>();
        for (var i = 0u; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt16LittleEndian(Take(2))));
            var dtypeName = Encoding.ASCII.GetString(Take(Take(1)[0]));
            var dtype = DtypeOf(dtypeName) ?? throw Bad($"tensor '{name}' has unknown dtype '{dtypeName}'");
            var ndim = Take(1)[0];
            var shape = new long[ndim];
            for (var d = 0; d < ndim; d++) shape[d] = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
            var length = (long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
            var numel = shape.Aggregate(1L, (a, b) => a * b);
            if (length != numel * Tensor.ElementSize(dtype))
                throw Bad($"tensor '{name}' has {length} bytes of data but shape [{string.Join(", ", shape)}] of {dtypeName} needs {numel * Tensor.ElementSize(dtype)}");
            var offset = position;
            Take(checked((int)length));
            records.Add(new Record(name, dtype, shape, offset, length));
        }
        if (position != end) throw Bad($"{end - position} bytes left over after the last record at byte {position}");
        return new ParsedFile(bytes, header, records);
    }

    // ---- names ----

    private static void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Contains('/'))
            throw new ArgumentException($"checkpoint keys must be non-empty and contain no '/': \"{key}\"");
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Select(n => $"'{n}'").ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    // Dtypes by PyTorch's names, not libtorch's enum numbers, so the file means the same to any reader.
    private static readonly Dictionary<ScalarType, string> DtypeNames = new()
    {
        [ScalarType.Float32] = "float32", [ScalarType.Float64] = "float64", [ScalarType.Float16] = "float16",
        [ScalarType.BFloat16] = "bfloat16", [ScalarType.Int64] = "int64", [ScalarType.Int32] = "int32",
        [ScalarType.Int16] = "int16", [ScalarType.Int8] = "int8", [ScalarType.Byte] = "uint8", [ScalarType.Bool] = "bool",
    };

    private static string DtypeName(ScalarType type) =>
        DtypeNames.TryGetValue(type, out var name) ? name : throw new NotSupportedException($"checkpoints cannot hold {type} tensors");

    private static ScalarType? DtypeOf(string name) => DtypeNames.FirstOrDefault(d => d.Value == name) is { Value: not null } hit ? hit.Key : null;
}

/// <summary>A checkpoint file that is incomplete, corrupted, or does not fit the model it is loaded into. Nothing was changed.</summary>
public sealed class CheckpointException(string message) : Exception(message);
