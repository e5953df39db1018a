import signal
import sys


def _quiet(signum, frame):  # noqa: ARG001 - until the command line installs its own handlers
    raise SystemExit(128 + signum)


signal.signal(signal.SIGINT, _quiet)
signal.signal(signal.SIGTERM, _quiet)

from .cli import main  # noqa: E402

sys.exit(main())
