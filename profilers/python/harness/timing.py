"""`time` mode (interleaved original/candidate samples) and `complexity` mode (time per call at growing sizes)."""
import collections
import gc
import math
import random
import sys
import time

from . import calls
from .compare import is_iterator
from .workload import WorkloadError, copy_call, sized_call

# Copies pre-built for one sample when the function mutates its arguments: bounds the memory they take.
MAX_PREBUILT_CALLS = 200_000
MAX_LOOPS = 10_000_000
COMPLEXITY_MIN_MEASURE_SECONDS = 0.005
# Fewer samples than this cannot support an interval; past the time budget, sampling stops once it has them.
MIN_SAMPLES = 5


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


def measure_pairs(job, original, candidate, inputs):
    performance = inputs.performance
    mutates = job["mutatesArguments"]
    target = job["sampleSeconds"]
    deadline = time.perf_counter() + job["budgetSeconds"]
    # Each side gets its own copies, so nothing one side does to its inputs reaches the other.
    prepared = {"original": copy_call(performance, original), "candidate": copy_call(performance, candidate)}
    saved_stdout = sys.stdout
    sys.stdout = calls.NULL_WRITER  # printing still costs its call, but nothing accumulates
    try:
        fns = {
            "original": _timed_callable(original.fn, prepared["original"][0]),
            "candidate": _timed_callable(candidate.fn, prepared["candidate"][0]),
        }
        max_loops = MAX_LOOPS if not mutates else max(1, MAX_PREBUILT_CALLS // len(performance))

        def pair(loops):
            return {side: _sample(fns[side], prepared[side], loops, mutates) for side in ("original", "candidate")}

        # Calibration doubles as warm-up: the loop count grows until the slower side fills a sample.
        loops = 1
        while True:
            per_call = pair(loops)
            sample_seconds = max(per_call.values()) * loops * len(performance)
            if sample_seconds >= target or loops >= max_loops:
                break
            estimate = math.ceil(loops * target / max(sample_seconds, 1e-9) * 1.1)
            loops = min(max_loops, max(loops * 2, estimate))
        # Each side then gets its own loop count filling a sample: a candidate 40x faster timed with the original's
        # count would measure fractions of a millisecond, where scheduler noise dominates.
        side_loops = {
            side: min(max_loops, max(loops, math.ceil(target / max(seconds * len(performance), 1e-9))))
            for side, seconds in per_call.items()
        }
        for side in side_loops:
            _sample(fns[side], prepared[side], side_loops[side], mutates)  # one more warm-up at the final count

        order = random.Random(job["seed"])
        samples = {"original": [], "candidate": []}
        for _ in range(job["samples"]):
            if len(samples["original"]) >= MIN_SAMPLES and time.perf_counter() > deadline:
                break  # an honest shorter series beats being killed by the wall-clock limit
            sides = ["original", "candidate"]
            if order.random() < 0.5:
                sides.reverse()
            for side in sides:
                samples[side].append(_sample(fns[side], prepared[side], side_loops[side], mutates))
    finally:
        sys.stdout = saved_stdout
    info = time.get_clock_info("perf_counter")
    return {
        "original": samples["original"],
        "candidate": samples["candidate"],
        "loopsPerSample": side_loops["original"] * len(performance),
        "timer": "time.perf_counter_ns (%s, resolution %.0e s)" % (info.implementation, info.resolution),
    }


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
