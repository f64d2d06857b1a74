"""sdkforge: generate typed Python clients from OpenAPI documents."""

import os
import signal
import sys

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    # Nothing is written yet, and nothing is left to undo.
    os.write(2, b"interrupted; the output directory was left as it was\n")
    os._exit(130)


# Imported on the way to `__main__` (`python -m sdkforge`, or the `sdkforge` command): a
# Ctrl-C before `__main__.run` can catch it would land in Python's own start-up code and end
# in its traceback. `run` puts the usual handler back. Imported as a library, nothing changes.
if sys.argv[:1] == ["-m"] or os.path.basename(sys.argv[0] if sys.argv else "") == "sdkforge":
    signal.signal(signal.SIGINT, _interrupted_while_starting)
