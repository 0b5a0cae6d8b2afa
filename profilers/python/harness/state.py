"""What a program keeps between calls: the sizes of the containers its module holds, by a readable name. The outcomes
worker reports them before and after its calls; a candidate whose containers grow where the original's do not keeps
results between calls (profilers/judge/outcomes.ts).
"""
import collections
import inspect
import types

_CONTAINERS = (dict, list, set, bytearray, collections.deque)


def container_sizes(module):
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
