"""Materialising a workload into argument lists, deterministically: in every process, or (an LLM-written generator's)
once in a process of its own that passes them on as data (generated.py)."""
import collections
import copy
import random

from . import calls, programs
from .compare import ConsumedIterator

SIZED_START = 8
# Correctness inputs made from sized_input when a workload defines no correctness_inputs().
SMALL_SIZES = (1, 2, 3, 5, 8, 13, 64)


class WorkloadError(Exception):
    """The workload cannot be used; the user (or the generator's author) must fix it."""

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class Inputs:
    def __init__(self, correctness, performance, sized_input, sized_n, timed_sized_n=None, made_apart=None):
        self.correctness = correctness
        self.performance = performance
        self.sized_input = sized_input
        self.sized_n = sized_n
        # The n of sized_input(n) when that made the timed input (no fixed performance inputs).
        self.timed_sized_n = timed_sized_n
        # Read from a generator's inputs file (generated.py): whether it was sizeable, and its fresh and warm-up calls.
        self.made_apart = made_apart

    @property
    def sizeable(self):
        return self.made_apart["sizeable"] if self.made_apart is not None else self.sized_input is not None

    def all_calls(self):
        """(set name, index, call) for correctness inputs, then performance inputs."""
        for index, call in enumerate(self.correctness):
            yield "correctness", index, call
        if self.performance is not self.correctness:
            for index, call in enumerate(self.performance):
                yield "performance", index, call


def normalise(item, where):
    """An input as (args tuple, kwargs dict)."""
    if isinstance(item, (list, tuple)):
        return tuple(item), {}
    if isinstance(item, dict) and "args" in item and set(item) <= {"args", "kwargs"}:
        args, kwargs = item["args"], item.get("kwargs", {})
        if isinstance(args, (list, tuple)) and isinstance(kwargs, dict) and all(isinstance(k, str) for k in kwargs):
            return tuple(args), dict(kwargs)
    raise WorkloadError(
        "%s is a %s; each input must be a list or tuple of positional arguments, or "
        "{'args': [...], 'kwargs': {...}}" % (where, type(item).__name__)
    )


def copy_call(call, program=None):
    """A deep copy of a call (or of a list of calls) for `program`: instances of its classes become its own (see rebind)."""
    copied = copy.deepcopy(call)
    if program is not None and program.classes:
        rebind(copied, program.classes)
    return copied


def rebind(value, classes):
    """Makes every object in `value` whose class is, by qualified name, one of the program's classes an instance of it.

    Each program defines its own copy of the classes in its context, and a workload builds its inputs with one of them
    (or with the user's module, when it imports it). A method's receiver must be an instance of the side's class, so that
    a candidate's method calls the candidate's helpers and recursion, not the original's. Copies of one class have the
    same layout, so reassigning __class__ is safe; where Python refuses it, the object is left as it is.
    """
    seen = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (int, float, complex, str, bytes, bool, type(None), type)):
            continue
        seen.add(id(item))
        if isinstance(item, (list, tuple, set, frozenset, collections.deque)):
            stack.extend(item)
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
            continue
        own = classes.get(getattr(type(item), "__qualname__", None))
        if own is not None and type(item) is not own:
            try:
                item.__class__ = own
            except TypeError:
                pass
        state = getattr(item, "__dict__", None)
        if isinstance(state, dict):
            stack.extend(state.values())
        for klass in type(item).__mro__:
            slots = klass.__dict__.get("__slots__", ())
            for name in (slots,) if isinstance(slots, str) else slots:
                if name not in ("__dict__", "__weakref__"):
                    stack.append(getattr(item, name, None))


def _load_module(spec, seed, limit, provided):
    if spec["kind"] == "module":
        filename, name = spec["path"], "__perfloop_workload__"
    else:
        filename, name = "<workload generator>", "__perfloop_generator__"
    with open(spec["sourcePath"], encoding="utf-8") as handle:
        source = handle.read()
    code = programs.compile_source("workload", source, filename)
    random.seed(seed - 1)  # module-level randomness is reproducible too
    if isinstance(code, programs.ProgramError):
        raise WorkloadError("the workload %s does not compile: %s" % (filename, code.message), code.detail)
    try:
        return programs.execute_module("workload", code, name, spec.get("path"), limit, provided, spec.get("packageName"))
    except programs.ProgramError as error:
        raise WorkloadError("the workload %s failed: %s" % (filename, error.message), error.detail) from None


def _generate(module, name, seed, limit):
    fn = getattr(module, name, None)
    if fn is None:
        return None
    if not callable(fn):
        raise WorkloadError("the workload's `%s` is not a function" % name)
    random.seed(seed)
    outcome = calls.invoke(fn, (), {}, limit, capture_stdout=True, keep_traceback=True)
    if outcome.timed_out:
        raise WorkloadError("the workload's %s() took longer than %.0f s" % (name, limit))
    if outcome.raised:
        raise WorkloadError(
            "the workload's %s() raised %s" % (name, calls.describe_exception(outcome.error)),
            programs.user_traceback(outcome.error),
        )
    items = outcome.value
    if isinstance(items, ConsumedIterator):
        items = items.items
    try:
        items = list(items)
    except TypeError:
        raise WorkloadError("the workload's %s() returned a %s, not an iterable of inputs" % (name, type(items).__name__)) from None
    return [normalise(item, "item %d of %s()" % (i, name)) for i, item in enumerate(items)]


def sized_call(sized_input, n, seed, limit):
    random.seed(seed)
    outcome = calls.invoke(sized_input, (n,), {}, limit, keep_traceback=True)
    if outcome.timed_out:
        raise WorkloadError("the workload's sized_input(%d) took longer than %.0f s" % (n, limit))
    if outcome.raised:
        raise WorkloadError(
            "the workload's sized_input(%d) raised %s" % (n, calls.describe_exception(outcome.error)),
            programs.user_traceback(outcome.error),
        )
    return normalise(outcome.value, "the result of sized_input(%d)" % n)


def _sized_or_none(inputs, size, seed, limit):
    if inputs.sized_input is None or inputs.sized_n is None:
        return None
    try:
        return sized_call(inputs.sized_input, size(inputs.sized_n), seed, limit)
    except WorkloadError:
        return None


def fresh_call(job, inputs):
    """A performance-sized input never timed (seed + 3, at fresh_size): serve.py's fresh passes, count mode's warm-up.
    None when the workload cannot make one."""
    if inputs.made_apart is not None:
        return inputs.made_apart["fresh"]
    return _sized_or_none(inputs, lambda n: fresh_size(n, job["seed"]), job["seed"] + 3, job["callTimeoutSeconds"])


def warm_up_call(job, inputs):
    """The timing worker's warm-up input at the fresh inputs' scale (seed + 4, next to their size); None when none."""
    if inputs.made_apart is not None:
        return inputs.made_apart["warm"]
    return _sized_or_none(inputs, lambda n: fresh_size(n, job["seed"]) + 1, job["seed"] + 4, job["callTimeoutSeconds"])


def _cpu_seconds_of_call(program, call, limit):
    """The cheaper of two calls' CPU time (the first may pay one-time costs), or None when a call timed out."""
    best = None
    for _ in range(2):
        args, kwargs = copy_call(call, program)
        outcome = calls.invoke(program.fn, args, kwargs, limit, capture_stdout=False)
        if outcome.timed_out:
            return None
        best = outcome.cpu_seconds if best is None else min(best, outcome.cpu_seconds)
    return best


def fresh_size(n, seed):
    """The size of inputs never timed: near n but never n (the rule and its reasons: timingCoordinator.ts, "caching")."""
    return n - 1 - seed % max(1, n // 50) if n >= 2 else n + 1


def calibrate_size(sized_input, program, seed, target_seconds, max_n, limit):
    """The first n of SIZED_START·2^k at which one call of the program costs target_seconds of CPU time.

    CPU time and a doubling grid, so that a busy machine (which stretches wall time) or a noisy reading moves n only when
    the cost lies within the noise of a grid point; the runner then fixes n for every later process (sizedN).
    """
    n = SIZED_START
    while n < max_n:
        seconds = _cpu_seconds_of_call(program, sized_call(sized_input, n, seed, limit), limit)
        if seconds is None or seconds >= target_seconds:
            return n
        n = min(max_n, n * 2)
    return n


def _seconds_per_call(program, performance, limit):
    """The original's mean CPU time per call over the performance inputs (each the cheaper of two calls)."""
    total = 0.0
    for call in performance:
        seconds = _cpu_seconds_of_call(program, call, limit)
        total += limit if seconds is None else seconds
    return total / len(performance)


def materialise(job, program, limit, calibrate=True):
    """The job's inputs. A generator module sees `program`'s classes as globals (to build receivers and arguments)."""
    spec = job["workload"]
    seed = job["seed"]
    sized_input = None
    if spec["kind"] == "json":
        correctness = [normalise(x, "correctness input %d" % i) for i, x in enumerate(spec["correctness"])]
        performance = [normalise(x, "performance input %d" % i) for i, x in enumerate(spec["performance"])]
        if performance == correctness:
            performance = correctness  # one list serving both purposes is checked once
    else:
        module = _load_module(spec, seed, limit, program.classes if program is not None else {})
        sized_input = getattr(module, "sized_input", None)
        if sized_input is not None and not callable(sized_input):
            raise WorkloadError("the workload's `sized_input` is not a function")
        correctness = _generate(module, "correctness_inputs", seed, limit)
        if correctness is None:
            if sized_input is None and not hasattr(module, "performance_inputs"):
                raise WorkloadError("the workload defines none of correctness_inputs(), performance_inputs(), sized_input(n)")
            correctness = [sized_call(sized_input, n, seed + n, limit) for n in SMALL_SIZES] if sized_input else []
        performance = _generate(module, "performance_inputs", seed + 1, limit) or []
    sized_n = None
    timed_sized_n = None
    if sized_input is not None and (calibrate or job.get("sizedN") is not None):
        # With fixed performance inputs the size still matters: timing workers draw inputs of that size they have never
        # seen, to tell a cache of results from one-time costs (serve.py, fresh passes).
        sized_n = job.get("sizedN")
        if sized_n is None:
            if program is None:
                raise WorkloadError("internal: no size was chosen for sized_input and no function to calibrate it")
            # Fresh inputs cost about what the fixed ones do, so that a speedup measured on the ones can be looked for on
            # the others (a candidate that recognises the inputs it is timed on has it on those only).
            target = _seconds_per_call(program, performance, limit) if performance else job["perfCallSeconds"]
            sized_n = calibrate_size(sized_input, program, seed + 2, target, job["maxSizedN"], limit)
        if not performance:
            performance = [sized_call(sized_input, sized_n, seed + 2, limit)]
            timed_sized_n = sized_n
    if not performance:
        performance = correctness
    if not correctness:
        correctness = performance
    if not correctness:
        raise WorkloadError("the workload produced no inputs")
    return Inputs(correctness, performance, sized_input, sized_n, timed_sized_n)
