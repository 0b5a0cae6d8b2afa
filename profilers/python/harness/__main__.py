"""Script entry: `python -s -B <dir>/perfloop_harness/__main__.py job.json`.

The package is imported by name from its parent directory. The script's own directory is taken off sys.path so the
harness's module names (compare, timing, ...) can never shadow a user's modules of the same name.
"""
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
sys.path.insert(0, os.path.dirname(_here))

from perfloop_harness.main import main  # noqa: E402  (needs the path set above)

if __name__ == "__main__":
    main(sys.argv)
