using Microsoft.AspNetCore.Components.Server.Circuits;

namespace GanLab.Web.Training;

/// <summary>
/// The trainers open in one browser tab (one Blazor circuit). When the tab closes normally the
/// circuit ends and every trainer is disposed at once. When the connection just drops (a crash,
/// a laptop lid, a lost network) Blazor keeps the circuit for minutes in case it comes back;
/// nobody is watching then, so <see cref="PauseTrainingWhenDisconnected"/> pauses its runs.
/// </summary>
public sealed class LearnerCircuit
{
    private readonly Lock _gate = new();
    private readonly List<TrainerSession> _sessions = [];
    private readonly List<ToyRun> _toys = [];

    public void Track(TrainerSession session)
    {
        lock (_gate) _sessions.Add(session);
    }

    public void Untrack(TrainerSession session)
    {
        lock (_gate) _sessions.Remove(session);
    }

    /// <summary>A toy of a lesson page: it has no step budget, so a dropped connection always pauses it.</summary>
    public void Track(ToyRun toy)
    {
        lock (_gate) _toys.Add(toy);
    }

    public void Untrack(ToyRun toy)
    {
        lock (_gate) _toys.Remove(toy);
    }

    public Task PauseAllAsync()
    {
        TrainerSession[] sessions;
        ToyRun[] toys;
        lock (_gate) (sessions, toys) = ([.. _sessions], [.. _toys]);
        return Task.WhenAll(sessions.Select(s => s.PauseUnlessLeftToFinishAsync()).Concat(toys.Select(toy => toy.PauseAsync())));
    }
}

/// <summary>Pauses a tab's training when its connection drops (runs left to finish go on); the learner presses Resume on return.</summary>
public sealed class PauseTrainingWhenDisconnected(LearnerCircuit circuit) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit _, CancellationToken cancellationToken) => circuit.PauseAllAsync();
}
