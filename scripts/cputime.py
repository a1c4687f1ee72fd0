#!/usr/bin/env python3
"""cputime.py OUT COMMAND [ARG...]: runs COMMAND and writes the CPU time it used to OUT.

OUT gets one line, "USER SYSTEM" in seconds: the kernel's own accounting of the command's
process (every thread of it, and any child it waited for), as wait4() returns it when the
process ends, so it does not depend on how the process was scheduled against others. The exit
status is the command's (128 + N when a signal N ended it).

scripts/vm-bench.sh stops a run by signalling its whole process group (SIGINT, then SIGTERM):
this wrapper ignores both so that it outlives the command and can read its accounting, and
gives the command the default handling back (a background job of a non-interactive shell
starts with SIGINT ignored, and .NET would keep it ignored).
"""
import os
import signal
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    out, command = sys.argv[1], sys.argv[2:]
    stops = (signal.SIGINT, signal.SIGTERM)
    for s in stops:
        signal.signal(s, signal.SIG_IGN)
    pid = os.fork()
    if pid == 0:
        for s in stops:
            signal.signal(s, signal.SIG_DFL)
        try:
            os.execvp(command[0], command)
        except OSError as e:
            print(f"cputime: {command[0]}: {e.strerror}", file=sys.stderr)
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w", encoding="ascii") as f:
        f.write(f"{usage.ru_utime:.6f} {usage.ru_stime:.6f}\n")
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
