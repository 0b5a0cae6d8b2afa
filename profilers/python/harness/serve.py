"""`serve` mode: a timing worker. It loads one program and the performance inputs, greets the coordinator on its channel
(fd 4) and then answers, one JSON line each, until told to exit:
  {"op": "run", "loops": L}   prepares L passes over the inputs (copies, a collection); replies {"prepared": true}
                              ("fresh": true: over inputs of about the same size never used before, when the workload
                              can make them: how the coordinator tells a cache of results from one-time costs)
  {"op": "go"}                runs them; replies {"ns": nanoseconds the passes took}
  {"op": "digest"}            a digest of each input's result in the last pass; replies {"digests": [...]}
  {"op": "snap", "index": i}  that result in full; replies {"value": snapshot text, "args": snapshot text}
  {"op": "exit"}
The coordinator (profilers/judge/timingCoordinator.ts) drives the original's worker and a candidate's in turn, checks the
reported times against its own clock and the results against the other side's. Nothing here is trusted: code under test
shares this process.
"""
import gc
import json
import os
import socket
import sys
import time

from . import calls, snapshot
from .compare import ConsumedIterator
from .workload import copy_call, fresh_call, warm_up_call

CHANNEL_FD = 4
MAX_LOOPS = 10_000_000
# Copies pre-built for one sample when the function mutates its arguments: bounds the memory they take.
MAX_PREBUILT_CALLS = 200_000


class Raised:
    """What a timed call raised, kept as its type's name."""

    __slots__ = ("name",)

    def __init__(self, error):
        self.name = snapshot.type_name(type(error))


def _consuming(fn):
    """fn returning a lazy iterator does its work when the iterator is consumed: consumed inside the timed call."""

    def call(*args, **kwargs):
        return ConsumedIterator(list(fn(*args, **kwargs)))

    return call


def _pass_runner(fn, count):
    results = [None] * count

    def run(batch):
        for i, (args, kwargs) in enumerate(batch):
            try:
                results[i] = fn(*args, **kwargs)
            except Exception as error:
                results[i] = Raised(error)

    return run, results


def result_text(value, args, kwargs):
    if isinstance(value, Raised):
        return snapshot.dumps({"t": "raised", "c": value.name})
    return snapshot.snapshot_value(value, args, kwargs)


def _warm_up(job, program, inputs):
    """Calls on the correctness inputs that are not also performance inputs, before the greeting: one-time costs (a
    lazy import, a table built on first use) land here, so that the coordinator's first timed pass over the performance
    inputs differs from its second only by what a cache of results would save."""
    timed = {snapshot.snapshot_arguments(*call) for call in inputs.performance}
    limit = job["callTimeoutSeconds"]
    for call in inputs.correctness if inputs.performance is not inputs.correctness else []:
        if snapshot.snapshot_arguments(*call) in timed:
            continue
        args, kwargs = copy_call(call, program)
        calls.invoke(program.fn, args, kwargs, limit, capture_stdout=False)
    # One call at the fresh inputs' scale (a size next to theirs, so other values even from a generator that ignores the
    # seed): with fixed performance inputs nothing else has touched memory of that size, and the page faults of a first
    # allocation would make the first fresh pass look dearer than the second, as a cache does.
    call = warm_up_call(job, inputs)
    if call is not None:
        args, kwargs = copy_call(call, program)
        calls.invoke(program.fn, args, kwargs, limit, capture_stdout=False)


def _fresh_inputs(job, program, inputs):
    """Performance inputs never timed, drawn with another seed; None when the workload cannot make them."""
    call = fresh_call(job, inputs)
    return copy_call([call], program) if call is not None else None


def serve(job, program, inputs, inputs_digest):
    channel = socket.socket(fileno=CHANNEL_FD)
    reader = channel.makefile("rb")

    def send(message):
        channel.sendall((json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8"))

    performance = inputs.performance
    mutates = job["mutatesArguments"]
    prepared = copy_call(performance, program)
    fn = _consuming(program.fn) if job.get("lazyResults") else program.fn
    run_pass, results = _pass_runner(fn, len(prepared))
    fresh = _fresh_inputs(job, program, inputs)
    run_fresh, fresh_results = _pass_runner(fn, len(fresh)) if fresh else (None, [])
    fresh_batch = fresh
    last_batch = prepared
    max_loops = MAX_LOOPS if not mutates else max(1, MAX_PREBUILT_CALLS // len(prepared))
    clock = time.perf_counter_ns
    _warm_up(job, program, inputs)
    sys.stdout = calls.NULL_WRITER  # printing still costs its call, but nothing accumulates
    send({"ready": True, "inputs": len(prepared), "maxLoops": max_loops, "clock": "time.perf_counter_ns",
          "inputsDigest": inputs_digest, "fresh": fresh is not None})
    for line in reader:
        message = json.loads(line)
        op = message.get("op")
        if op == "run" and message.get("fresh") and fresh:
            batch = fresh_batch = copy_call(fresh, program) if mutates else fresh
            gc.collect()
            send({"prepared": True})
            if json.loads(reader.readline() or b"{}").get("op") != "go":
                break
            start = clock()
            run_fresh(batch)
            send({"ns": clock() - start})
        elif op == "run":
            loops = max(1, min(int(message["loops"]), max_loops))
            batches = [copy_call(prepared, program) for _ in range(loops)] if mutates else None
            retired = None  # the previous sample's last copies are freed here, not after the clock stops (see below)
            gc.collect()  # each sample starts from the same heap state; gc stays enabled while timing, as in real use
            send({"prepared": True})
            if json.loads(reader.readline() or b"{}").get("op") != "go":
                break
            if batches is None:
                start = clock()
                for _ in range(loops):
                    run_pass(prepared)
                elapsed = clock() - start
            else:
                start = clock()
                for batch in batches:
                    run_pass(batch)
                elapsed = clock() - start
                # Freeing the previous copies here would be work outside the timed loop that the coordinator sees in the
                # worker's CPU time (and takes for a tampered clock); they are kept until the next sample is prepared.
                retired, last_batch = last_batch, batches[-1]
            send({"ns": elapsed})
        elif op == "digest":
            digests = []
            pairs = zip(fresh_results, fresh_batch) if message.get("fresh") and fresh else zip(results, last_batch)
            for value, (args, kwargs) in pairs:
                texts = [result_text(value, args, kwargs)]
                if mutates:
                    texts.append(snapshot.snapshot_arguments(args, kwargs))
                digests.append(snapshot.digest(*texts))
            send({"digests": digests})
        elif op == "snap":
            index = int(message["index"])
            values, batch = (fresh_results, fresh_batch) if message.get("fresh") and fresh else (results, last_batch)
            args, kwargs = batch[index]
            send({"value": result_text(values[index], args, kwargs), "args": snapshot.snapshot_arguments(args, kwargs)})
        else:
            break
    sys.stdout.flush()
    os._exit(0)
