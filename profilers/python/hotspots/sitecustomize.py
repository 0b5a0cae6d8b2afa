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


# Capture: the arguments the hot functions really receive (PERFLOOP_CAPTURE: JSON [{"file", "line", "qualname"}]).
_CAPTURE = os.environ.get("PERFLOOP_CAPTURE")
# Calls kept per function while the command runs (the diverse ones are chosen from these at exit) and written.
_CAPTURE_POOL = 64
_CAPTURE_KEEP = int(os.environ.get("PERFLOOP_CAPTURE_KEEP", "12"))


def _size(value, budget=50_000):
    """A rough size of a value: items in its containers, characters of its strings, counted up to a budget."""
    seen = 0
    stack = [value]
    while stack and seen < budget:
        item = stack.pop()
        seen += 1
        if isinstance(item, (str, bytes, bytearray)):
            seen += len(item) // 16
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        else:
            state = getattr(item, "__dict__", None)
            if isinstance(state, dict):
                stack.extend(state.values())
    return seen


def _uncapturable(error):
    text = str(error)
    for pattern, name in (("generator", "a generator"), ("_io.", "an open file"), ("socket", "a socket"), ("lambda", "a lambda"),
                          ("local object", "a function or class defined inside a function"), ("_thread.", "a lock or thread"),
                          ("coroutine", "a coroutine")):
        if pattern in text:
            return "%s (%s)" % (name, text.splitlines()[0][:160])
    return text.splitlines()[0][:200] if text else type(error).__name__


def _start_capture(targets, out_dir):
    import atexit
    import copy
    import pickle
    import threading

    wanted = {(os.path.realpath(t["file"]), t["line"]): t for t in targets}
    pools = {}  # target key -> sorted list of (size, serial, pickled bytes)
    failures = {}  # target key -> why a call could not be kept
    calls = {}
    codes = {}  # code object -> target key, or None for code that is not a target

    def arguments(frame, code):
        """The call as Perfloop's inputs write one: {"args": [...], "kwargs": {...}}, a method's receiver first."""
        names = code.co_varnames
        local = frame.f_locals
        args = [local[name] for name in names[:code.co_argcount] if name in local]
        if args and names[0] == "cls" and isinstance(args[0], type):
            args = args[1:]  # a class method takes its arguments only
        kwargs = {name: local[name] for name in names[code.co_argcount:code.co_argcount + code.co_kwonlyargcount] if name in local}
        rest = code.co_argcount + code.co_kwonlyargcount
        if code.co_flags & 0x04:  # *args
            args.extend(local.get(names[rest], ()))
            rest += 1
        if code.co_flags & 0x08:  # **kwargs
            kwargs.update(local.get(names[rest], {}))
        return {"args": args, "kwargs": kwargs}

    def on_event(frame, event, _arg):
        if event != "call":
            return
        code = frame.f_code
        key = codes.get(code, False)
        if key is False:
            target = wanted.get((os.path.realpath(code.co_filename), code.co_firstlineno))
            # The line alone is not enough: a module's own code starts on its line 1 too, where a def may.
            if target and target["qualname"].rsplit(".", 1)[-1] != code.co_name:
                target = None
            key = codes[code] = (target["file"], target["line"]) if target else None
        if key is None:
            return
        serial = calls[key] = calls.get(key, 0) + 1
        pool = pools.setdefault(key, [])
        values = arguments(frame, code)
        try:
            size = _size(values)
        except Exception:  # an argument whose attributes raise when read is sized as one item
            size = 1
        if len(pool) >= _CAPTURE_POOL and pool[0][0] <= size <= pool[-1][0] and serial % max(7, serial >> 6):
            # Neither a new smallest nor a new largest: about 64 calls per doubling of the count are kept, spread over the run.
            return
        try:
            data = pickle.dumps(copy.deepcopy(values), protocol=4)
        except Exception as error:  # what does not copy or pickle is named; the function falls back to other inputs
            failures.setdefault(key, _uncapturable(error))
            return
        entry = (size, serial, data)
        if len(pool) < _CAPTURE_POOL:
            pool.append(entry)
            pool.sort(key=lambda e: (e[0], e[1]))
        elif size < pool[0][0]:
            pool[0] = entry  # the old smallest gives way; still sorted
        elif size > pool[-1][0]:
            pool[-1] = entry
        else:
            pool[1 + serial % (len(pool) - 2)] = entry
            pool.sort(key=lambda e: (e[0], e[1]))

    def finish():
        sys.setprofile(None)
        threading.setprofile(None)
        import json

        for key in set(calls) | set(failures):
            target = wanted.get((os.path.realpath(key[0]), key[1]))
            unique = {}
            for entry in pools.get(key, []):
                unique.setdefault(entry[2], entry)  # the same arguments twice are one input
            pool = sorted(unique.values(), key=lambda e: (e[0], e[1]))
            if len(pool) > _CAPTURE_KEEP:
                # The smallest, the largest and a spread of sizes between.
                step = (len(pool) - 1) / (_CAPTURE_KEEP - 1)
                pool = [pool[round(i * step)] for i in range(_CAPTURE_KEEP)]
            record = {
                "file": key[0],
                "line": key[1],
                "qualname": target["qualname"] if target else "",
                "calls": calls.get(key, 0),
                "sizes": [size for size, _, _ in pool],
                "failure": failures.get(key),
            }
            stem = os.path.join(out_dir, "capture-%d-%d" % (os.getpid(), len(os.listdir(out_dir))))
            with open(stem + ".pickle.part", "wb") as handle:
                pickle.dump([data for _, _, data in pool], handle, protocol=4)
            os.replace(stem + ".pickle.part", stem + ".pickle")
            with open(stem + ".json.part", "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            os.replace(stem + ".json.part", stem + ".json")

    atexit.register(finish)
    threading.setprofile(on_event)
    sys.setprofile(on_event)


if _OUT and _ROOT:
    _start(_OUT, os.path.realpath(_ROOT))
elif _OUT and _CAPTURE:
    import json as _json

    _start_capture(_json.loads(_CAPTURE), _OUT)
_chain_user_sitecustomize()
