"""Catches a candidate that tampers with interpreter state it shares with the original.

Verification and interleaved timing run both programs in one process, so a candidate could slow the original down
(replace `sorted` in builtins, install a trace function, patch the original's helpers) and look faster, or make the
original return what the candidate returns. Such changes are detected by identity: the objects bound in shared modules
and in the original's namespace must be the very same objects before and after the candidate ran.
"""
import collections
import inspect
import sys
import types

from .programs import ProgramError

# Shared modules whose bindings nothing legitimate rebinds (sys is excluded: the harness redirects sys.stdout itself).
WATCHED_MODULES = (
    "builtins", "time", "gc", "math", "functools", "itertools", "operator", "collections", "copy", "heapq", "bisect",
    "re", "json", "random", "string", "statistics",
)


def _bindings(namespace):
    return {name: id(value) for name, value in list(namespace.items())}


class SharedStateGuard:
    def __init__(self, original):
        self.original = original
        self.module_bindings = {
            name: _bindings(vars(sys.modules[name])) for name in WATCHED_MODULES if name in sys.modules
        }
        self.original_bindings = _bindings(vars(original.module))
        self.original_code = id(getattr(original.fn, "__code__", None))
        self.trace = sys.gettrace()
        self.profile = sys.getprofile()

    def _changed_module_binding(self):
        for module_name, before in self.module_bindings.items():
            module = sys.modules.get(module_name)
            now = _bindings(vars(module)) if module is not None else {}
            for name, identity in before.items():
                if now.get(name) != identity:
                    return "%s.%s" % (module_name, name)
        return None

    def check(self, when, original_may_have_run):
        """Raises ProgramError naming what the candidate changed `when` (e.g. "while being loaded")."""
        changed = self._changed_module_binding()
        if changed is None and (sys.gettrace() is not self.trace or sys.getprofile() is not self.profile):
            changed = "the interpreter's trace/profile hook"
        if changed is None and id(getattr(self.original.fn, "__code__", None)) != self.original_code:
            changed = "the original function's code"
        if changed is None and not original_may_have_run:
            # The original's own globals may change when it runs; before that, only the candidate can have touched them.
            now = _bindings(vars(self.original.module))
            for name, identity in self.original_bindings.items():
                if now.get(name) != identity:
                    changed = "the original's `%s`" % name
                    break
        if changed is not None:
            raise ProgramError(
                "candidate",
                "the candidate changed %s %s; state shared with the original must stay untouched, or the comparison "
                "could be rigged" % (changed, when),
            )


_CONTAINERS = (dict, list, set, bytearray, collections.deque)


def _container_sizes(module):
    """Sizes of the containers a program could keep results in between calls, by a readable name."""
    sizes = {}

    def note(name, value):
        if isinstance(value, _CONTAINERS):
            sizes[name] = len(value)
        info = getattr(value, "cache_info", None)  # functools.lru_cache / cache wrappers
        if callable(info):
            try:
                sizes[name + " cache"] = info().currsize
            except Exception:
                pass

    for name, value in list(vars(module).items()):
        if isinstance(value, types.ModuleType):
            continue
        note("`%s`" % name, value)
        target = inspect.unwrap(value) if callable(value) else value
        if isinstance(target, types.FunctionType):
            for i, default in enumerate(target.__defaults__ or ()):
                note("a default argument of `%s`" % name, default)
            for key, default in (target.__kwdefaults__ or {}).items():
                note("default `%s` of `%s`" % (key, name), default)
            for cell in target.__closure__ or ():
                try:
                    note("a variable enclosed by `%s`" % name, cell.cell_contents)
                except ValueError:
                    pass
            for key, attribute in vars(target).items():
                note("`%s.%s`" % (name, key), attribute)
        elif isinstance(value, type) and getattr(value, "__module__", None) == module.__name__:
            for key, attribute in list(vars(value).items()):
                note("`%s.%s`" % (name, key), attribute)
    return sizes


class CrossCallStateWatch:
    """Finds a candidate that remembers results between calls, which would make repeated timing measure cache hits.

    The original is watched too: state it keeps itself is its behaviour, and a candidate may keep the same kind.
    """

    def __init__(self, original, candidate):
        self.programs = (original, candidate)
        self.before = [_container_sizes(p.module) for p in self.programs]

    def check(self):
        grown = []
        for program, before in zip(self.programs, self.before):
            after = _container_sizes(program.module)
            grown.append([(name, before[name], after[name]) for name in before if name in after and after[name] > before[name]])
        original_grew, candidate_grew = grown
        if candidate_grew and not original_grew:
            name, start, end = candidate_grew[0]
            raise ProgramError(
                "candidate",
                "the candidate keeps state across calls (%s grew from %d to %d entries while it ran); results cached "
                "between calls make repeated timing measure cache hits, so this is not allowed" % (name, start, end),
            )
