"""`equal` mode: the user's `equal(a, b)` from their inputs module, on pairs of return values that differ as snapshots.

Comparisons happen outside the processes that run the code under test, so the hook cannot run beside the original's or
a candidate's values (each lives in its own process, and a candidate could rebind the hook in its own). It runs here,
in a sandboxed process of its own that loads only the user's inputs module and the original's classes (user code, never
LLM code), on values rebuilt from the snapshots both sides sent: data, which the candidate cannot make run anything.
"""
import base64
import collections
import json

from . import calls
from .workload import _load_module


def revive(snap, classes):
    """A snapshot back as a value: containers as their types, objects of the program's classes as instances of them
    with that state (without running their constructors), anything else as plain data."""
    if snap is None or isinstance(snap, (bool, int, float, str)):
        return snap
    if isinstance(snap, list):  # not sent by the snapshotter, but harmless
        return [revive(s, classes) for s in snap]
    kind = snap.get("t")
    name = snap.get("c")
    if kind in ("int",):
        return int(snap["v"])
    if kind in ("float", "num"):
        return float(snap["v"])  # "nan", "inf", "-inf" and "-0" included
    if kind == "complex":
        return complex(revive(snap["re"], classes), revive(snap["im"], classes))
    if kind == "undefined":
        return None
    if kind == "bytes":
        data = base64.b64decode(snap["v"])
        return bytearray(data) if name == "bytearray" else data
    if kind in ("seq", "iter"):
        items = [revive(s, classes) for s in snap.get("i", [])]
        return tuple(items) if name == "tuple" else collections.deque(items) if name == "collections.deque" else items
    if kind == "map":
        entries = [(_key(revive(k, classes)), revive(v, classes)) for k, v in snap.get("e", [])]
        return collections.OrderedDict(entries) if snap.get("o") else dict(entries)
    if kind == "set":
        items = [_key(revive(s, classes)) for s in snap.get("i", [])]
        return frozenset(items) if name == "frozenset" else set(items)
    if kind == "obj":
        fields = {str(k): revive(v, classes) for k, v in snap.get("f", [])}
        qualname = str(name)
        klass = classes.get(qualname[len("<target>."):] if qualname.startswith("<target>.") else qualname)
        if klass is not None:
            try:
                value = object.__new__(klass)
                value.__dict__.update(fields)
                return value
            except (TypeError, AttributeError):
                pass
        return _Fields(name, fields)
    if kind == "exc":
        return _Fields(name, {"args": revive(snap.get("a"), classes)})
    if kind == "alias":
        return revive(snap.get("v"), classes)
    if kind in ("ref", "opaque"):
        return snap.get("v", snap.get("r"))
    return None  # a cycle or nesting beyond the snapshot's depth


def _key(value):
    # Dict keys and set members must be hashable: a list that was a tuple's copy becomes a tuple again.
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    if isinstance(value, (dict, set)):
        return frozenset(value.items() if isinstance(value, dict) else value)
    return value


class _Fields:
    """An object of a class the inputs module does not have: its type name and fields, as attributes."""

    def __init__(self, type_name, fields):
        self.__dict__.update(fields)
        self.__type_name = type_name

    def __eq__(self, other):
        return isinstance(other, _Fields) and vars(self) == vars(other)

    def __repr__(self):
        return "%s(%s)" % (self.__type_name, ", ".join("%s=%r" % kv for kv in vars(self).items() if not kv[0].startswith("_")))


def run_equal(job, program):
    spec = job["workload"]
    if spec["kind"] != "module":
        return {"hook": False, "same": []}
    limit = job["callTimeoutSeconds"]
    module = _load_module(spec, job["seed"], limit, program.classes)
    hook = getattr(module, "equal", None)
    if not callable(hook):
        return {"hook": False, "same": []}
    same = []
    for expected, actual in job.get("pairs") or []:
        a = revive(json.loads(expected), program.classes)
        b = revive(json.loads(actual), program.classes)
        outcome = calls.invoke(hook, (a, b), {}, limit)
        if outcome.raised or outcome.timed_out:
            same.append(False)  # a hook that cannot tell keeps the difference
            continue
        try:
            same.append(bool(outcome.value))
        except Exception:
            same.append(False)
    return {"hook": True, "same": same}
