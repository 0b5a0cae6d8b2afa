"""`count` mode (calls for an external instruction counter) and `memory` mode (tracemalloc peak per call)."""
import resource
import sys
import tracemalloc

from . import calls, serve, snapshot
from .compare import ConsumedIterator, is_iterator
from .workload import copy_call, fresh_call


def _warm_calls(job, program, inputs):
    """Calls that pay the one-time costs (first imports inside the function, caches warming, the interpreter's
    specialisation) before the counted ones: sized_input at a neighbouring size when the workload has one (inputs the
    counted calls never saw, so a cache of results gains nothing), else the correctness inputs."""
    call = fresh_call(job, inputs)
    if call is not None:
        return [copy_call(call, program)]
    return [copy_call(call, program) for call in inputs.correctness]


def _call_all(fn, prepared, kept=None):
    """Calls fn on each prepared argument list (a returned iterator consumed), output discarded; how many raised. With
    `kept`, each result (or what it raised) is appended to it."""
    raised = 0
    saved_stdout = sys.stdout
    sys.stdout = calls.NULL_WRITER
    try:
        for args, kwargs in prepared:
            try:
                result = fn(*args, **kwargs)
                if is_iterator(result):
                    result = ConsumedIterator(list(result)) if kept is not None else _consume(result)
            except Exception as error:
                raised += 1
                result = serve.Raised(error) if kept is not None else None
            if kept is not None:
                kept.append(result)
    finally:
        sys.stdout = saved_stdout
    return raised


def _consume(iterator):
    for _ in iterator:
        pass


def _serialised(results, prepared):
    """Each result and its arguments as the timing worker serialises them (serve.py), to be checked outside."""
    return [{"value": serve.result_text(value, args, kwargs), "args": snapshot.snapshot_arguments(args, kwargs)}
            for value, (args, kwargs) in zip(results, prepared)]


def run_for_count(job, program, inputs):
    """A warm pass, then one call per performance input, or the warm pass alone (calls = 0).

    The two runs differ only by the counted calls, so their instruction counts subtract to the calls' cost, one-time
    costs (paid in the warm pass of both) left out. Nothing here may depend on time: no calibration, no timers, no
    randomness beyond the fixed seeds.
    """
    prepared = [copy_call(call, program) for call in inputs.performance]
    _call_all(program.fn, _warm_calls(job, program, inputs))
    if job["calls"] == 0:
        return {"calls": 0, "raised": 0, "results": []}
    # With `results`, this run also serialises what the calls left: the runner checks the results of the calls it counted
    # (and subtracts the serialising, measured on the original: profilers/counters/countedCalls.ts).
    kept = [] if job.get("results") else None
    raised = _call_all(program.fn, prepared, kept)
    return {"calls": len(prepared), "raised": raised, "results": _serialised(kept, prepared) if kept is not None else []}


def measure_memory(job, program, inputs):
    limit = job["callTimeoutSeconds"]
    peak = 0
    tracemalloc.start()
    try:
        for call in inputs.performance:
            args, kwargs = copy_call(call, program)
            tracemalloc.reset_peak()
            baseline = tracemalloc.get_traced_memory()[0]
            outcome = calls.invoke(program.fn, args, kwargs, limit, capture_stdout=False)
            # The peak includes the result while it is still referenced: it is part of what the call allocated.
            peak = max(peak, tracemalloc.get_traced_memory()[1] - baseline)
            if outcome.timed_out:
                break
            del outcome, args, kwargs
    finally:
        tracemalloc.stop()
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"peakBytes": peak, "maxRssBytes": max_rss_kib * 1024}
