"""Behavioural equality of values produced by the original and a candidate, input sizes and short reprs."""
import collections
import collections.abc
import math
import reprlib
import types

# Both programs define their own copies of context classes; instances of `<original>.Point` and `<candidate>.Point`
# must compare as the same type.
TARGET_MODULES = {
    "__perfloop_original__": "<target>", "__perfloop_candidate__": "<target>", "__perfloop_program__": "<target>",
}

_EXACT_TYPES = (int, bool, str, bytes, bytearray, type(None), range, type(Ellipsis), type(NotImplemented))
_MAX_DEPTH = 400


def type_key(t):
    module = getattr(t, "__module__", "")
    return (TARGET_MODULES.get(module, module), getattr(t, "__qualname__", t.__name__))


def is_iterator(value):
    return isinstance(value, collections.abc.Iterator)


class ConsumedIterator:
    """What an iterator returned by a function turned into: its items, so two lazy results can be compared."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items

    def __repr__(self):
        return "<iterator yielding %s>" % short_repr(self.items)


def _is_array_like(value):
    # numpy-style arrays without importing numpy: their == is elementwise and has no truth value.
    return hasattr(value, "tolist") and hasattr(value, "shape") and hasattr(value, "dtype")


def _object_state(obj):
    state = {}
    attributes = getattr(obj, "__dict__", None)
    if isinstance(attributes, dict):
        state.update(attributes)
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name in ("__dict__", "__weakref__") or name in state:
                continue
            try:
                state[name] = getattr(obj, name)
            except AttributeError:
                pass
    return state


class Comparator:
    def __init__(self, rel_tol=1e-7, abs_tol=1e-9):
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def equal(self, a, b):
        return self._eq(a, b, set(), 0)

    def _float_eq(self, a, b):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or math.isclose(a, b, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def _eq(self, a, b, active, depth):
        ta, tb = type(a), type(b)
        same_class = ta is tb
        if not same_class and type_key(ta) != type_key(tb):
            return False
        if ta is float:
            return self._float_eq(a, b)
        if ta is complex:
            return self._float_eq(a.real, b.real) and self._float_eq(a.imag, b.imag)
        if ta in _EXACT_TYPES:
            return a == b
        if a is b:
            return True
        pair = (id(a), id(b))
        if pair in active or depth > _MAX_DEPTH:
            return True  # a cycle (or absurd depth): the enclosing comparison decides
        active.add(pair)
        try:
            return self._eq_compound(a, b, same_class, active, depth + 1)
        finally:
            active.discard(pair)

    def _eq_compound(self, a, b, same_class, active, depth):
        eq = self._eq
        if isinstance(a, ConsumedIterator):
            return eq(a.items, b.items, active, depth)
        if isinstance(a, (list, tuple, collections.deque)):
            return len(a) == len(b) and all(eq(x, y, active, depth) for x, y in zip(a, b))
        if isinstance(a, dict):
            if len(a) != len(b):
                return False
            if isinstance(a, collections.OrderedDict) and list(a.keys()) != list(b.keys()):
                return False
            for key, value in a.items():
                if key not in b or not eq(value, b[key], active, depth):
                    return False
            return True
        if isinstance(a, (set, frozenset)):
            return a == b
        if isinstance(a, BaseException):
            return eq(a.args, b.args, active, depth)
        if isinstance(a, type):
            return type_key(a) == type_key(b)
        if isinstance(a, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            return getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
        if isinstance(a, types.ModuleType):
            return a.__name__ == b.__name__
        if _is_array_like(a):
            return str(a.dtype) == str(b.dtype) and a.shape == b.shape and eq(a.tolist(), b.tolist(), active, depth)
        if same_class and type(a).__eq__ is not object.__eq__:
            try:
                verdict = a == b
                if verdict is not NotImplemented and bool(verdict):
                    return True
            except Exception:
                pass
            # A False from __eq__ may only mean "not my class object" (dataclasses, copies of context classes);
            # the structural comparison below decides.
        state_a, state_b = _object_state(a), _object_state(b)
        if not state_a and not state_b:
            if type(a).__eq__ is object.__eq__:
                # Identity is all object.__eq__ knows, and two copies of a stateless instance (a receiver holding nothing)
                # are the same value: compared by type (above) and by what the snapshot would send, their repr.
                return type(a).__repr__ is object.__repr__ or short_repr(a) == short_repr(b)
            try:
                return bool(a == b)
            except Exception:
                return False
        return eq(state_a, state_b, active, depth)


    def first_difference(self, a, b, path, depth=0):
        """Where two unequal values first differ, e.g. "result[3]: 4 vs 5" (for reading a long counterexample)."""
        if depth > 20:
            return path
        if type_key(type(a)) != type_key(type(b)):
            return "%s: %s vs %s" % (path, _type_name(a), _type_name(b))
        if isinstance(a, ConsumedIterator):
            return self.first_difference(a.items, b.items, path + " (items)", depth + 1)
        if isinstance(a, (list, tuple, collections.deque)):
            for index, (x, y) in enumerate(zip(a, b)):
                if not self.equal(x, y):
                    return self.first_difference(x, y, "%s[%d]" % (path, index), depth + 1)
            return "%s: length %d vs %d" % (path, len(a), len(b))
        if isinstance(a, dict):
            for key, value in a.items():
                if key not in b:
                    return "%s: key %s missing" % (path, short_repr(key, 80))
                if not self.equal(value, b[key]):
                    return self.first_difference(value, b[key], "%s[%s]" % (path, short_repr(key, 80)), depth + 1)
            extra = next((k for k in b if k not in a), None)
            return "%s: unexpected key %s" % (path, short_repr(extra, 80))
        state_a, state_b = _object_state(a), _object_state(b)
        if state_a or state_b:
            for name in sorted(set(state_a) | set(state_b)):
                if name not in state_a or name not in state_b:
                    return "%s: attribute %s only on one side" % (path, name)
                if not self.equal(state_a[name], state_b[name]):
                    return self.first_difference(state_a[name], state_b[name], "%s.%s" % (path, name), depth + 1)
        return "%s: %s vs %s" % (path, short_repr(a, 120), short_repr(b, 120))


def _type_name(value):
    return "iterator" if isinstance(value, ConsumedIterator) else type(value).__qualname__


def input_size(value, _depth=0):
    """Total length of containers and strings plus digits of ints: the measure used to pick the smallest counterexample."""
    if _depth > 50:
        return 1
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, int):
        return max(1, int(abs(value).bit_length() * 0.30103) + 1)
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return len(value) + sum(input_size(k, _depth + 1) + input_size(v, _depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset, collections.deque)):
        return len(value) + sum(input_size(v, _depth + 1) for v in value)
    state = _object_state(value) if not isinstance(value, (float, complex)) else None
    if state:
        return input_size(state, _depth + 1)
    return 1


class _Repr(reprlib.Repr):
    def repr_instance(self, value, level):
        # Objects with the default repr show their attributes instead of a memory address.
        if type(value).__repr__ is object.__repr__:
            state = _object_state(value)
            if state:
                if level <= 0:
                    return type(value).__qualname__ + "(...)"
                fields = ", ".join("%s=%s" % (k, self.repr1(v, level - 1)) for k, v in list(state.items())[:12])
                return "%s(%s)" % (type(value).__qualname__, fields)
        return super().repr_instance(value, level)


_repr = _Repr()
_repr.maxlevel = 6
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxfrozenset = _repr.maxdeque = _repr.maxarray = 40
_repr.maxdict = 30
_repr.maxstring = 240
_repr.maxlong = 120
_repr.maxother = 240


def short_repr(value, limit=500):
    try:
        text = _repr.repr(value)
    except Exception as error:  # a user __repr__ that raises must not take the harness down
        text = "<%s object: repr failed with %s>" % (type(value).__name__, type(error).__name__)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_repr(args, kwargs, limit=500):
    parts = [short_repr(a, limit) for a in args] + ["%s=%s" % (k, short_repr(v, limit)) for k, v in kwargs.items()]
    text = "(" + ", ".join(parts) + ")"
    return text if len(text) <= limit else text[: limit - 3] + "..."
