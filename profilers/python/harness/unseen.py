"""Files the user's code tried to read that did not exist where it ran.

The runner asks the host whether it has them: a data file the sandbox hides (outside the project, or secret-shaped) is
then named with what to do, instead of leaving the user with a bare FileNotFoundError. Watched in the workload check
only, which runs the original on every input once: an audit hook sees every event of the process, which timing must not
pay for.
"""
import os
import sys

_LIMIT = 20
_WRITE_MODES = set("wax+")
_missing = []


def _hook(event, args):
    if event != "open" or len(args) != 3 or len(_missing) >= _LIMIT:
        return
    target, mode, flags = args
    if isinstance(target, int):
        return  # an open file descriptor
    if mode is None:  # os.open: creating a file is not reading one
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            return
    elif _WRITE_MODES & set(str(mode)):
        return
    try:
        path = os.path.abspath(os.fsdecode(os.fspath(target)))
        if not os.path.exists(path) and path not in _missing:
            _missing.append(path)
    except Exception:  # an odd path object: never let the hook break the user's code
        pass


def watch():
    sys.addaudithook(_hook)


def missing_files():
    return list(_missing)
