namespace Netmap.Dynamic;

/// <summary>A port spec could not be parsed. Says where, what text, and why.</summary>
public sealed class NetmapPortSpecException : FormatException
{
    /// <summary>Creates the exception for a parse error.</summary>
    public NetmapPortSpecException(NetmapPortSpecError error)
        : base(error.Message)
    {
        Spec = error.Spec;
        Code = error.Code;
        Position = error.Position;
        OffendingText = error.OffendingText;
        Reason = error.Reason;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public NetmapPortSpecException(string message) : base(message)
    {
        Spec = OffendingText = Reason = string.Empty;
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public NetmapPortSpecException(string message, Exception innerException) : base(message, innerException)
    {
        Spec = OffendingText = Reason = string.Empty;
    }

    /// <summary>Creates an exception (needed by serializers and analyzers).</summary>
    public NetmapPortSpecException() : this("invalid port spec") { }

    /// <summary>The spec that failed to parse.</summary>
    public string Spec { get; }
    /// <summary>What went wrong, as a code.</summary>
    public NetmapPortSpecErrorCode Code { get; }
    /// <summary>Index (in UTF-16 chars) in <see cref="Spec"/> where the offending text starts.</summary>
    public int Position { get; }
    /// <summary>The part of <see cref="Spec"/> that is wrong (may be empty for an empty spec).</summary>
    public string OffendingText { get; }
    /// <summary>Why it is wrong, in a sentence.</summary>
    public string Reason { get; }
}
