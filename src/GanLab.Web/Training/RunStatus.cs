namespace GanLab.Web.Training;

/// <summary>Where a run of the server stands; stored as its lower-case name in the runs database.</summary>
public enum RunStatus
{
    /// <summary>Waiting for a training slot (new, or having yielded its slot after a quantum).</summary>
    Queued,
    Running,
    /// <summary>Stopped by the student (or a dropped connection); Resume queues it again with the same weights.</summary>
    Paused,
    /// <summary>Reached its step budget (MaxSteps); its checkpoint is kept.</summary>
    Finished,
    /// <summary>Ended by an error (a diverging loss, a missing dataset); the fault message says why.</summary>
    Failed,
    /// <summary>The server stopped while the run was queued, running or paused: its weights are lost, its history kept.</summary>
    Interrupted,
    /// <summary>Ended by the student (Reset, leaving the page) or by the instructor.</summary>
    Cancelled,
}

public static class RunStatuses
{
    /// <summary>Statuses from which a run never trains again.</summary>
    public static bool IsFinal(this RunStatus status) => status is RunStatus.Finished or RunStatus.Failed or RunStatus.Interrupted or RunStatus.Cancelled;

    /// <summary>The name stored in the database and shown in the UI ("queued", "running", …).</summary>
    public static string Name(this RunStatus status) => status.ToString().ToLowerInvariant();

    public static RunStatus Parse(string name) => Enum.TryParse<RunStatus>(name, ignoreCase: true, out var status)
        ? status
        : throw new InvalidDataException($"unknown run status '{name}' in the runs database");
}
