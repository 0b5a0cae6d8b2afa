"""`complexity` mode: time per call at growing sizes (interleaved original/candidate timing is serve.py's, one process per side)."""
import collections
import gc
import math
import sys
import time

from . import calls
from .compare import is_iterator
from .workload import WorkloadError, copy_call, sized_call

COMPLEXITY_MIN_MEASURE_SECONDS = 0.005


def _timed_callable(fn, call):
    """fn itself, or a wrapper draining the iterator fn returns (a lazy result does its work only when consumed)."""
    args, kwargs = copy_call(call)
    try:
        value = fn(*args, **kwargs)
    except Exception:
        return fn
    if not is_iterator(value):
        return fn
    drain = collections.deque

    def consuming(*a, **k):
        drain(fn(*a, **k), maxlen=0)

    return consuming


def _sample(fn, prepared, loops, mutates):
    """Seconds per call over `loops` passes of all inputs. Copies are built before the clock starts."""
    batches = [copy_call(prepared) for _ in range(loops)] if mutates else None
    gc.collect()  # start each sample from the same heap state; gc stays enabled while timing, as in real use
    clock = time.perf_counter_ns
    if batches is None:
        start = clock()
        for _ in range(loops):
            for args, kwargs in prepared:
                try:
                    fn(*args, **kwargs)
                except Exception:
                    pass
        elapsed = clock() - start
    else:
        start = clock()
        for batch in batches:
            for args, kwargs in batch:
                try:
                    fn(*args, **kwargs)
                except Exception:
                    pass
        elapsed = clock() - start
    return elapsed / 1e9 / (loops * len(prepared))


def _seconds_per_call(fn, call, mutates, limit):
    """Best of a few repeats of a calibrated loop: the least disturbed estimate of one call at this size."""
    args, kwargs = copy_call(call)
    first = calls.invoke(fn, args, kwargs, limit, capture_stdout=False)
    if first.timed_out:
        return None
    if first.seconds >= 0.5:
        return first.seconds
    loops = max(1, math.ceil(COMPLEXITY_MIN_MEASURE_SECONDS / max(first.seconds, 1e-7)))
    repeats = 5 if first.seconds * loops < 0.05 else 3
    best = math.inf
    for _ in range(repeats):
        best = min(best, _sample(fn, [call], loops, mutates))
    return best


MIN_GROWTH_SECONDS = 50e-6
MAX_COMPLEXITY_SIZE = 1 << 22


def measure_complexity(job, program, inputs):
    if not inputs.sizeable:
        return {"points": []}
    saved_stdout = sys.stdout
    sys.stdout = calls.NULL_WRITER
    deadline = time.perf_counter() + job["budgetSeconds"]
    limit = job["callTimeoutSeconds"]
    fn = program.fn
    points = []
    n = job["complexityStartSize"]
    try:
        # Sizes whose calls take microseconds measure call overhead, not growth: they do not count towards maxPoints.
        while sum(1 for p in points if p["seconds"] >= MIN_GROWTH_SECONDS) < job["maxPoints"] and n <= MAX_COMPLEXITY_SIZE:
            try:
                call = sized_call(inputs.sized_input, n, job["seed"] + 2, limit)
            except (WorkloadError, MemoryError):
                if points:
                    break  # the generator's own limit: keep the sizes that worked
                raise
            call = copy_call(call, program)
            fn = _timed_callable(program.fn, call) if not points else fn
            seconds = _seconds_per_call(fn, call, job["mutatesArguments"], limit)
            if seconds is None:
                break
            points.append({"size": n, "seconds": seconds})
            if seconds > job["maxSecondsPerCall"] or time.perf_counter() > deadline:
                break
            n *= 2
    finally:
        sys.stdout = saved_stdout
    meaningful = [p for p in points if p["seconds"] >= MIN_GROWTH_SECONDS]
    return {"points": meaningful if len(meaningful) >= 3 else points[-job["maxPoints"]:]}
