"""`outcomes` mode: one program (the original or a candidate) on every input, each call's behaviour reported as data —
the returned value and the arguments after the call as snapshots, the exception, what was printed. The two sides run in
separate processes and Perfloop compares their reports (profilers/judge/outcomes.ts)."""
import random

from . import calls, snapshot
from .compare import call_repr, input_size, short_repr
from .state import container_sizes
from .workload import copy_call

MESSAGE_LIMIT = 300


def _seeded(seed, index):
    # Functions using `random` see the same stream on both sides.
    random.seed(seed * 7919 + index)


def _outcome(set_name, index, call, outcome, args, kwargs):
    record = {
        "set": set_name, "index": index, "input": call_repr(*call), "inputSize": input_size(call),
        "stdout": outcome.stdout, "seconds": outcome.seconds,
        "args": snapshot.snapshot_arguments(args, kwargs), "argsRepr": call_repr(args, kwargs),
    }
    if outcome.timed_out:
        record["status"] = "timeout"
    elif outcome.raised:
        error = outcome.error
        record["status"] = "raised"
        record["fatal"] = outcome.fatal
        record["error"] = {"type": snapshot.type_name(type(error)), "message": calls.describe_exception(error, MESSAGE_LIMIT).partition(": ")[2]}
    else:
        record["status"] = "returned"
        record["value"] = snapshot.snapshot_value(outcome.value, args, kwargs)
        record["valueRepr"] = short_repr(outcome.value)
    return record


def run_outcomes(job, side, program, inputs, progress):
    limit = job["callTimeoutSeconds"]
    limits = job.get("limits") or []
    before = container_sizes(program.module)
    outcomes = []
    for checked, (set_name, index, call) in enumerate(inputs.all_calls()):
        args, kwargs = copy_call(call, program)
        progress.mark(side, set_name, index, call)
        _seeded(job["seed"], checked)
        call_limit = limits[checked] if checked < len(limits) else limit
        outcome = calls.invoke(program.fn, args, kwargs, call_limit)
        outcomes.append(_outcome(set_name, index, call, outcome, args, kwargs))
        if outcome.timed_out or isinstance(outcome.error, MemoryError):
            break  # the process may be too starved (or too stuck) to go on reliably
    after = container_sizes(program.module)
    growth = [{"name": name, "before": before[name], "after": after[name]} for name in before if name in after and after[name] != before[name]]
    lazy = any(str(o.get("value", "")).startswith('{"t":"iter"') for o in outcomes)
    return {"outcomes": outcomes, "stateGrowth": growth, "lazyResults": lazy, "inputsDigest": inputs_digest(inputs)}


def inputs_digest(inputs):
    """Both sides make their inputs in their own process, and must have made the same ones."""
    texts = [snapshot.snapshot_arguments(*call) for call in inputs.correctness] + ["|"]
    if inputs.performance is not inputs.correctness:
        texts += [snapshot.snapshot_arguments(*call) for call in inputs.performance]
    return snapshot.digest(*texts)
