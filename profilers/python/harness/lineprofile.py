"""`profile` mode: per-line hits, time and allocated memory of the target function (sys.settrace, stdlib only).

Time is exclusive of nested calls into the target itself (recursion is not counted twice) and inclusive of every other
callee, which is charged to the calling line. The tracer's own overhead is not subtracted: it is roughly constant per
line event, so lines executed very often look somewhat more expensive than they are. Shares, not absolute times, are
what the report uses.
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
        for call in inputs.performance:
            args, kwargs = copy_call(call)
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
    total = sum(entry[1] for entry in tracer.stats.values())
    entries = []
    for line in sorted(tracer.stats):
        hits, seconds, memory = tracer.stats[line]
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
