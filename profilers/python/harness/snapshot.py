"""Values as snapshots: the JSON form in which results leave this process to be compared by Perfloop (see
profilers/judge/snapshot.ts for the format). Nothing is compared here: code under test shares this process and could
rebind any checker in it.
"""
import base64
import collections
import enum
import hashlib
import json
import math
import types

from .compare import ConsumedIterator, _is_array_like, _object_state, type_key

SAFE_INTEGER = 2 ** 53
MAX_DEPTH = 200
# Mutable objects of the arguments indexed for alias detection, at most.
MAX_INDEXED = 200_000
_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), range, frozenset, type, types.FunctionType,
              types.BuiltinFunctionType, types.ModuleType)


def type_name(klass):
    module, qualname = type_key(klass)
    return qualname if module == "builtins" else "%s.%s" % (module, qualname)


def _float(value):
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value + 0.0  # -0.0 + 0.0 is 0.0: Python's == does not tell them apart, so neither does the snapshot


def index_arguments(args, kwargs):
    """Path of every mutable object reachable from the arguments, by id: what a result may alias."""
    paths = {}
    stack = [(value, "arguments[%d]" % i) for i, value in enumerate(args)]
    stack += [(value, "arguments[%r]" % key) for key, value in kwargs.items()]
    while stack and len(paths) < MAX_INDEXED:
        value, path = stack.pop()
        if isinstance(value, _IMMUTABLE) or id(value) in paths:
            continue
        if not isinstance(value, tuple):
            paths[id(value)] = path
        if isinstance(value, (list, tuple, collections.deque)):
            if value and all(type(v) is int for v in value[:8]) and all(type(v) is int for v in value):
                continue
            stack.extend((v, "%s[%d]" % (path, i)) for i, v in enumerate(value))
        elif isinstance(value, dict):
            stack.extend((v, "%s[%r]" % (path, k)) for k, v in value.items())
        elif isinstance(value, (set,)):
            continue
        else:
            state = _object_state(value)
            stack.extend((v, "%s.%s" % (path, k)) for k, v in state.items())
    return paths


class Snapshotter:
    def __init__(self, aliases=None):
        self.aliases = aliases or {}
        self.marked = set()
        self.active = set()

    def snap(self, value, depth=0):
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if -SAFE_INTEGER < value < SAFE_INTEGER else {"t": "int", "v": str(value)}
        if kind is float:
            return {"t": "float", "v": _float(value)}
        if depth > MAX_DEPTH:
            return {"t": "deep"}
        path = self.aliases.get(id(value))
        if path is not None and id(value) not in self.marked:
            self.marked.add(id(value))  # the marker wraps the value itself, once
            return {"t": "alias", "p": path, "v": self.snap(value, depth + 1)}
        if id(value) in self.active:
            return {"t": "cycle"}
        self.active.add(id(value))
        try:
            return self._compound(value, kind, depth + 1)
        finally:
            self.active.discard(id(value))

    def _items(self, values, depth):
        values = list(values)
        # Fast path for the commonest large result, a list of small ints (which cannot alias anything).
        if all(type(v) is int for v in values) and (not values or -SAFE_INTEGER < min(values) and max(values) < SAFE_INTEGER):
            return values
        return [self.snap(v, depth) for v in values]

    def _compound(self, value, kind, depth):
        name = type_name(kind)
        if isinstance(value, ConsumedIterator):
            return {"t": "iter", "i": self._items(value.items, depth)}
        if kind is complex:
            return {"t": "complex", "re": {"t": "float", "v": _float(value.real)}, "im": {"t": "float", "v": _float(value.imag)}}
        if isinstance(value, enum.Enum):
            return {"t": "ref", "c": name, "v": value.name}
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {"t": "bytes", "c": name, "v": base64.b64encode(bytes(value)).decode("ascii")}
        if isinstance(value, (list, tuple, collections.deque)):
            return {"t": "seq", "c": name, "i": self._items(value, depth)}
        if isinstance(value, dict):
            entries = [[self.snap(k, depth), self.snap(v, depth)] for k, v in list(value.items())]
            return {"t": "map", "c": name, "e": entries, "o": isinstance(value, collections.OrderedDict)}
        if isinstance(value, (set, frozenset)):
            return {"t": "set", "c": name, "i": [self.snap(v, depth) for v in value]}
        if isinstance(value, BaseException):
            return {"t": "exc", "c": name, "a": self.snap(value.args, depth)}
        if isinstance(value, type):
            return {"t": "ref", "c": "type", "v": type_name(value)}
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            return {"t": "ref", "c": "function", "v": getattr(value, "__qualname__", repr(value))}
        if isinstance(value, types.ModuleType):
            return {"t": "ref", "c": "module", "v": value.__name__}
        if kind is str or isinstance(value, str):
            return {"t": "obj", "c": name, "f": [["value", str(value)]]}
        if isinstance(value, (int, float)):
            return {"t": "obj", "c": name, "f": [["value", self.snap(int(value) if isinstance(value, int) else float(value), depth)]]}
        if _is_array_like(value):
            return {"t": "seq", "c": "%s[%s]%s" % (name, value.dtype, tuple(value.shape)), "i": self.snap(value.tolist(), depth)}
        state = _object_state(value)
        if state or kind.__repr__ is object.__repr__:
            return {"t": "obj", "c": name, "f": [[key, self.snap(v, depth)] for key, v in state.items()]}
        # Value types that keep their state in C (datetime, Decimal, Fraction...): their repr is their value.
        try:
            text = repr(value)
        except Exception as error:
            text = "<repr failed: %s>" % type(error).__name__
        return {"t": "opaque", "c": name, "r": text}


def dumps(snapshot):
    return json.dumps(snapshot, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def snapshot_value(value, args=(), kwargs=None):
    """The returned value as snapshot text; objects that are also in the arguments are marked as aliases."""
    try:
        return dumps(Snapshotter(index_arguments(args, kwargs or {})).snap(value))
    except Exception as error:  # a value whose state cannot be read: compared by its type and the failure
        return dumps({"t": "opaque", "c": type_name(type(value)), "r": "<unreadable: %s>" % type(error).__name__})


def snapshot_arguments(args, kwargs):
    items = list(args) + ([dict(kwargs)] if kwargs else [])
    try:
        return dumps(Snapshotter().snap(items))
    except Exception as error:
        return dumps({"t": "opaque", "c": "arguments", "r": "<unreadable: %s>" % type(error).__name__})


def digest(*texts):
    hasher = hashlib.sha256()
    for text in texts:
        hasher.update(text.encode("utf-8", "surrogatepass"))
        hasher.update(b"\n")
    return hasher.hexdigest()
