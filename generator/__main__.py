"""`python -m sdkforge` and the `sdkforge` command.

Ctrl-C is exit code 130 and one line, at any moment: the generator's modules are imported
inside `run`, so an interrupt while they load is caught like one while they work, and the
package's `__init__` covers the moment before `run` starts.
"""

import signal
import sys


def run() -> int:
    try:
        # From here on, an interrupt is a KeyboardInterrupt, which `main` handles with the
        # rest of its work (see __init__ for the moment before).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from .cli import main

        return main()
    except KeyboardInterrupt:
        # A second Ctrl-C must not break into the report of the first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("interrupted; the output directory was left as it was", file=sys.stderr)
        return 130
    finally:
        # Nothing is left to interrupt: one now would only show up as a traceback from
        # the interpreter's shutdown.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    sys.exit(run())
