"""`count` mode (calls for an external instruction counter) and `memory` mode (tracemalloc peak per call)."""
import resource
import sys
import tracemalloc

from . import calls
from .compare import is_iterator
from .workload import copy_call


def run_for_count(job, program, inputs):
    """Calls the program once per performance input, or prepares everything and makes no call (calls = 0).

    The two runs differ only by the calls, so their instruction counts subtract to the calls' cost. Nothing here may
    depend on time: no calibration, no timers, no randomness beyond the fixed seeds.
    """
    prepared = [copy_call(call, program) for call in inputs.performance]
    raised = 0
    if job["calls"] > 0:
        saved_stdout = sys.stdout
        sys.stdout = calls.NULL_WRITER
        try:
            fn = program.fn
            for args, kwargs in prepared:
                try:
                    result = fn(*args, **kwargs)
                    if is_iterator(result):
                        for _ in result:
                            pass
                except Exception:
                    raised += 1
        finally:
            sys.stdout = saved_stdout
    return {"calls": len(prepared) if job["calls"] > 0 else 0, "raised": raised}


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
