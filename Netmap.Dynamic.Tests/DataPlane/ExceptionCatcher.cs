namespace Netmap.Dynamic.Tests.DataPlane;

/// <summary>
/// What a piece of code throws, returned (null when nothing) for the test to assert on, where
/// <c>Throws</c> cannot be used: a thread's result, or a ref struct such as a ring batch, which a
/// lambda cannot capture and so is passed in.
/// </summary>
internal static class ExceptionCatcher
{
    public static Exception? Catch(Action action) => Catch(action, static a => a());

    public static Exception? Catch<T>(T value, Action<T> use) where T : allows ref struct
    {
        try
        {
            use(value);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
