"""`workload` mode: what the workload contains and how the original behaves on it (inputs, mutation, exceptions)."""
import inspect
import json
import random

from . import calls, snapshot
from .compare import Comparator, call_repr
from .workload import WorkloadError, copy_call

EXAMPLES = 3


class Progress:
    """Writes which input is running, so the runner can name it when the process dies or is killed."""

    def __init__(self, path):
        self.path = path

    def mark(self, side, set_name, index, call):
        if self.path:
            record = {"side": side, "set": set_name, "index": index, "input": call_repr(*call, limit=300)}
            with open(self.path, "w", encoding="utf-8") as handle:
                json.dump(record, handle)


def _seeded(seed, index):
    # Functions using `random` see the same stream on both sides.
    random.seed(seed * 7919 + index)


def check_workload(job, program, inputs, progress):
    comparator = Comparator(job["floatTolerance"])
    limit = job["callTimeoutSeconds"]
    mutates = False
    raised = 0
    performance_raised = 0
    first_raised = None
    checked = 0
    for set_name, index, call in inputs.all_calls():
        try:
            before = copy_call(call, program)
            args, kwargs = copy_call(call, program)
        except Exception as error:
            raise WorkloadError(
                "%s input %d cannot be deep-copied (%s); inputs must be plain data or copyable objects"
                % (set_name, index, calls.describe_exception(error))
            ) from None
        bind_error = _signature_mismatch(program.fn, args, kwargs)
        if bind_error:
            raise WorkloadError(
                "%s input %d %s does not fit the signature of `%s`: %s"
                % (set_name, index, call_repr(args, kwargs, 200), program.fn.__name__, bind_error)
            )
        progress.mark("original", set_name, index, call)
        _seeded(job["seed"], checked)
        outcome = calls.invoke(program.fn, args, kwargs, limit)
        if outcome.timed_out:
            raise WorkloadError(
                "the original took longer than %.0f s on %s input %d %s; use smaller inputs"
                % (limit, set_name, index, call_repr(*call, limit=200))
            )
        raised += outcome.raised
        if outcome.raised:
            # Perfloop refuses an original that raises on every input (or every timed one): nothing would be compared or
            # timed but the failure, so the first one is named with its cause.
            performance_raised += set_name == "performance" or inputs.performance is inputs.correctness
            if first_raised is None:
                first_raised = {
                    "type": snapshot.type_name(type(outcome.error)),
                    "message": calls.describe_exception(outcome.error, 300).partition(": ")[2],
                    "set": set_name, "index": index, "input": call_repr(*call, limit=200),
                }
        if not mutates and not comparator.equal(before, (args, kwargs)):
            mutates = True
        checked += 1
    examples = [call_repr(*c, limit=200) for c in inputs.correctness[:EXAMPLES]]
    if inputs.performance is not inputs.correctness:
        examples += [call_repr(*c, limit=200) for c in inputs.performance[:1]]
    return {
        "correctnessCount": len(inputs.correctness),
        "performanceCount": len(inputs.performance),
        "sizeable": inputs.sizeable,
        **({"timedSizedN": inputs.timed_sized_n} if inputs.timed_sized_n else {}),
        "examples": examples,
        "originalMutatesArguments": mutates,
        "originalRaisedOn": raised,
        "callsChecked": checked,
        "performanceRaisedOn": performance_raised,
        **({"firstRaised": first_raised} if first_raised else {}),
    }


def _signature_mismatch(fn, args, kwargs):
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None  # builtins and some C callables have no signature to check
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        return str(error)
    return None
