"""Perfloop's workload profiler for Python: every interpreter the user's command starts imports this file at start-up
(its folder is first on PYTHONPATH), profiles its main thread with the standard library's deterministic profiler, and
at exit writes the functions of the user's project to PERFLOOP_PROFILE_DIR as JSON (profilers/python/hotspots.ts reads
them). Nothing is assumed beyond the standard library. The user's own sitecustomize, if any, still runs.

A project function's self time includes the time of the library code it calls directly (the standard library,
site-packages): that is time the user's function decides to spend. Library code that calls back into the project
(`map`, `sorted(key=...)`, a framework) keeps the callback's time with the callback.
"""
import os
import sys

_OUT = os.environ.get("PERFLOOP_PROFILE_DIR")
_ROOT = os.environ.get("PERFLOOP_PROJECT_ROOT")
# Folders of a project that hold other people's code or Perfloop's own files (profilers/hotspots/projectFiles.ts).
_FOREIGN_PARTS = set(filter(None, os.environ.get("PERFLOOP_FOREIGN_FOLDERS", "").split(os.pathsep)))


def _chain_user_sitecustomize():
    """Runs the sitecustomize this file shadows: the next one on sys.path."""
    here = os.path.dirname(os.path.abspath(__file__))
    import importlib.util

    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:
            continue
        candidate = os.path.join(entry, "sitecustomize.py")
        if os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location("_perfloop_user_sitecustomize", candidate)
            if spec and spec.loader:
                module = importlib.util.module_from_spec(spec)
                try:
                    spec.loader.exec_module(module)
                except Exception:  # the user's own start-up code failing is theirs to see without Perfloop
                    pass
            return


def _is_project_file(filename, root, venv):
    if not filename or filename.startswith("<"):
        return False
    path = os.path.realpath(filename)
    if not path.startswith(root + os.sep) or (venv and path.startswith(venv + os.sep)):
        return False
    parts = set(os.path.relpath(path, root).split(os.sep))
    return not (parts & _FOREIGN_PARTS) and os.path.isfile(path)


_DEFS = {}


def _defs(path):
    """Every def in a file: {(first line, name): qualified name} (cProfile names code by co_name) and the defs' line
    ranges, innermost last, to fold a comprehension or lambda into the function it is written in."""
    found = _DEFS.get(path)
    if found is not None:
        return found
    names, ranges = {}, []
    try:
        import ast

        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        tree = None

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # A decorated function's code starts at its first decorator's line.
                first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                qualname = prefix + child.name
                names[(first, child.name)] = names[(child.lineno, child.name)] = qualname
                ranges.append((first, child.end_lineno or child.lineno, child.name, qualname))
                visit(child, qualname + ".<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    if tree is not None:
        visit(tree, "")
    _DEFS[path] = found = (names, ranges)
    return found


def _enclosing(path, line):
    """The (first line, name) of the innermost def around `line`, or None at module or class level."""
    inner = None
    for first, last, name, _ in _defs(path)[1]:
        if first <= line <= last and (inner is None or first >= inner[0]):
            inner = (first, name)
    return inner


def _report(profile, started, out_dir, root):
    import json
    import time

    seconds = time.perf_counter() - started
    profile.create_stats()
    stats = profile.stats  # (file, line, name) -> (primitive calls, calls, self, inclusive, callers)
    venv = os.path.realpath(sys.prefix) if sys.prefix != sys.base_prefix else None
    project = {key for key in stats if _is_project_file(key[0], root, venv)}
    # Library time charged to the project function that called the library: for each library function, the time of each
    # call edge from a project function, less the project code the library function called back (shared in proportion).
    callees = {}  # function -> [(callee, inclusive time of the calls along that edge)]
    for callee, (_, _, _, _, callers) in stats.items():
        for caller, edge in callers.items():
            callees.setdefault(caller, []).append((callee, edge[3]))
    beneath = {}  # library function -> time of the project code it called, directly or through other library code

    def project_beneath(function, active):
        if function in beneath:
            return beneath[function]
        if function in active:
            return 0.0  # recursion through library code: counted at its outermost call
        active.add(function)
        total = 0.0
        for callee, seconds in callees.get(function, ()):
            if callee in project:
                total += seconds
            else:
                inclusive = stats[callee][3]
                total += seconds * (project_beneath(callee, active) / inclusive if inclusive > 0 else 0.0)
        active.discard(function)
        beneath[function] = total
        return total

    callbacks = {key: project_beneath(key, set()) for key in stats if key not in project}
    charged = {}
    for callee, (_, _, _, inclusive, callers) in stats.items():
        if callee in project or inclusive <= 0:
            continue
        own = max(0.0, inclusive - callbacks.get(callee, 0.0)) / inclusive
        for caller, edge in callers.items():
            if caller in project:
                charged[caller] = charged.get(caller, 0.0) + edge[3] * own
    functions = {}
    folded = []
    for key in project:
        primitive, calls, self_seconds, inclusive, _ = stats[key]
        path, line, name = os.path.realpath(key[0]), key[1], key[2]
        self_seconds += charged.get(key, 0.0)
        names = _defs(path)[0]
        if (line, name) not in names:
            # Module and class bodies are not functions; a comprehension, generator expression or lambda is part of the
            # function it is written in (its time is in that function's inclusive time already).
            if name.startswith("<") and name != "<module>":
                folded.append((path, line, self_seconds))
            continue
        functions[(path, line, name)] = {
            "file": path,
            "line": line,
            "name": name,
            "qualname": names[(line, name)],
            "calls": calls,
            "primitiveCalls": primitive,
            "selfSeconds": self_seconds,
            "inclusiveSeconds": inclusive,
        }
    for path, line, self_seconds in folded:
        owner = _enclosing(path, line)
        entry = functions.get((path, owner[0], owner[1])) if owner else None
        if entry is not None:
            entry["selfSeconds"] += self_seconds
    for entry in functions.values():
        # cProfile's per-edge times carry its own overhead: the parts may add up to a little more than the whole.
        entry["selfSeconds"] = min(entry["selfSeconds"], entry["inclusiveSeconds"])
    functions = list(functions.values())
    record = {"pid": os.getpid(), "argv": sys.argv[:8], "seconds": seconds, "functions": functions}
    target = os.path.join(out_dir, "python-%d.json" % os.getpid())
    with open(target + ".part", "w", encoding="utf-8") as handle:
        json.dump(record, handle)
    os.replace(target + ".part", target)


def _start(out_dir, root):
    import atexit
    import cProfile
    import time

    profile = cProfile.Profile()
    started = time.perf_counter()

    def finish():
        profile.disable()
        try:
            _report(profile, started, out_dir, root)
        except Exception as error:  # a profile that cannot be written is said, never the user's command failing
            sys.stderr.write("perfloop: could not write the profile of process %d: %r\n" % (os.getpid(), error))

    atexit.register(finish)
    profile.enable()


if _OUT and _ROOT:
    _start(_OUT, os.path.realpath(_ROOT))
_chain_user_sitecustomize()
