namespace GanLab.Torch;

/// <summary>An error reported by libtorch (a bad shape, a wrong device, ...), carrying libtorch's own message.</summary>
public sealed class TorchException(string message) : Exception(message);
