"""`profile` mode: per-line hits, time and allocated memory of the target function (sys.settrace, stdlib only).

Time is exclusive of nested calls into the target itself (recursion is not counted twice) and inclusive of every other
callee, which is charged to the calling line. The tracer costs roughly the same on every line event, which would make
cheap lines executed very often (loop headers) look expensive; that per-event cost is calibrated on a function whose
lines do almost nothing and subtracted (hits × cost, floored at zero). Shares, not absolute times, are what the report
uses.
"""
import sys
import time
import tracemalloc

from . import calls
from .workload import copy_call


class _LineTracer:
    def __init__(self, codes):
        self.codes = codes
        self.stats = {}  # absolute line -> [hits, seconds, bytes]
        self.stack = []  # [frame, current line] for each active target frame, innermost last
        self.mark = (time.perf_counter(), 0)

    def _charge(self):
        """Charges what happened since the last event to the innermost target frame's current line."""
        now, memory = time.perf_counter(), tracemalloc.get_traced_memory()[0]
        if self.stack and self.stack[-1][1] is not None:
            entry = self.stats[self.stack[-1][1]]
            entry[1] += now - self.mark[0]
            entry[2] += memory - self.mark[1]
        return now, memory

    def global_trace(self, frame, event, arg):
        if frame.f_code not in self.codes:
            return None
        self._charge()
        self.stack.append([frame, None])
        self.mark = (time.perf_counter(), tracemalloc.get_traced_memory()[0])
        return self.local_trace

    def local_trace(self, frame, event, arg):
        self._charge()
        if event == "line":
            line = frame.f_lineno
            entry = self.stats.get(line)
            if entry is None:
                entry = self.stats[line] = [0, 0.0, 0]
            entry[0] += 1
            if self.stack and self.stack[-1][0] is frame:
                self.stack[-1][1] = line
        elif event == "return":
            if self.stack and self.stack[-1][0] is frame:
                self.stack.pop()
        # Taken after the bookkeeping, so the tracer's own work is not charged to the line.
        self.mark = (time.perf_counter(), tracemalloc.get_traced_memory()[0])
        return self.local_trace


def _calibration_loop(n):
    i = 0
    while i < n:
        i += 1
    return i


def _per_event_overhead():
    """Seconds the tracer adds to each line event: the cheapest of a few traced runs of a near-empty loop."""
    best = float("inf")
    for _ in range(3):
        tracer = _LineTracer({_calibration_loop.__code__})
        sys.settrace(tracer.global_trace)
        try:
            _calibration_loop(2000)
        finally:
            sys.settrace(None)
        hits = sum(entry[0] for entry in tracer.stats.values())
        seconds = sum(entry[1] for entry in tracer.stats.values())
        if hits:
            best = min(best, seconds / hits)
    return 0.0 if best == float("inf") else best


def profile_lines(job, program, inputs):
    if not program.codes:
        return {"entries": [], "totalSeconds": 0.0, "callsProfiled": 0, "truncated": False}
    budget = job["profileSeconds"]
    tracer = _LineTracer(program.codes)
    profiled = 0
    truncated = False
    started = time.perf_counter()
    tracemalloc.start()
    try:
        overhead = _per_event_overhead()  # with tracemalloc on, as in the real run
        for call in inputs.performance:
            args, kwargs = copy_call(call, program)
            remaining = budget - (time.perf_counter() - started)
            sys.settrace(tracer.global_trace)
            try:
                # A single traced call may overrun the budget; it is stopped and what was seen so far is kept.
                outcome = calls.invoke(program.fn, args, kwargs, max(remaining, budget / 4), capture_stdout=False)
            finally:
                sys.settrace(None)
            tracer.stack.clear()
            profiled += 1
            if outcome.timed_out:
                truncated = True
                break
            if time.perf_counter() - started >= budget:
                truncated = profiled < len(inputs.performance)
                break
    finally:
        tracemalloc.stop()
    corrected = {line: max(0.0, entry[1] - entry[0] * overhead) for line, entry in tracer.stats.items()}
    total = sum(corrected.values())
    entries = []
    for line in sorted(tracer.stats):
        hits, _, memory = tracer.stats[line]
        seconds = corrected[line]
        relative = line - program.first_line + 1
        text = program.source_lines[line - 1] if 0 < line <= len(program.source_lines) else ""
        entries.append({
            "line": relative,
            "text": text,
            "hits": hits,
            "timeSeconds": seconds,
            "timeShare": seconds / total if total > 0 else 0.0,
            "memoryBytes": memory,
        })
    return {"entries": entries, "totalSeconds": total, "callsProfiled": profiled, "truncated": truncated}
