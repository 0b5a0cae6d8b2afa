"""`workload` and `verify` modes: what the workload contains, and whether a candidate behaves like the original."""
import inspect
import json
import random

from . import calls
from .compare import Comparator, call_repr, input_size
from .workload import WorkloadError, copy_call

EXAMPLES = 3
# A candidate gets this many times the original's duration on an input (plus a floor) before it counts as hanging.
CANDIDATE_SLOWDOWN_ALLOWED = 20
CANDIDATE_FLOOR_SECONDS = 2.0


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
        "examples": examples,
        "originalMutatesArguments": mutates,
        "originalRaisedOn": raised,
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


class _Mismatch:
    """One failing input; values are kept raw and rendered only for the counterexample finally reported."""

    def __init__(self, kind, call, expected, actual, hint=None):
        self.kind = kind
        self.call = call
        self.expected = expected
        self.actual = actual
        self.hint = hint
        self.size = input_size(call)

    def as_json(self, comparator):
        actual = _truncate(self.actual, 500)
        if self.hint is not None:
            difference = comparator.first_difference(self.hint[0], self.hint[1], self.hint[2])
            actual = _truncate(self.actual, 300) + "; first difference: " + _truncate(difference, 190)
        return {
            "kind": self.kind, "input": call_repr(*self.call), "expected": _truncate(self.expected, 500),
            "actual": actual, "inputSize": self.size,
        }


def _truncate(text, limit=500):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _compare(comparator, call, original, candidate, original_args, candidate_args):
    """The first way the candidate's behaviour differs on this input, or None."""
    if original.raised or candidate.raised:
        if type(original.error) is not type(candidate.error):
            return _Mismatch("exception", call, original.describe(), candidate.describe())
    elif not comparator.equal(original.value, candidate.value):
        return _Mismatch(
            "return", call, original.describe(), candidate.describe(), (original.value, candidate.value, "result"),
        )
    if not comparator.equal(original_args, candidate_args):
        positional_differ = not comparator.equal(original_args[0], candidate_args[0])
        where = 0 if positional_differ else 1
        return _Mismatch(
            "mutation", call,
            "arguments after the call: " + call_repr(*original_args),
            "arguments after the call: " + call_repr(*candidate_args),
            (original_args[where], candidate_args[where], "arguments" if positional_differ else "keyword arguments"),
        )
    if original.stdout != candidate.stdout:
        return _Mismatch("stdout", call, "printed " + repr(original.stdout), "printed " + repr(candidate.stdout))
    return None


def verify(job, original, candidate, inputs, progress):
    comparator = Comparator(job["floatTolerance"])
    limit = job["callTimeoutSeconds"]
    checked = 0
    mismatches = 0
    smallest = None
    for set_name, index, call in inputs.all_calls():
        where = "%s input %d %s" % (set_name, index, call_repr(*call, limit=300))
        original_args, candidate_args = copy_call(call, original), copy_call(call, candidate)
        progress.mark("original", set_name, index, call)
        _seeded(job["seed"], checked)
        expected = calls.invoke(original.fn, original_args[0], original_args[1], limit)
        if expected.timed_out:
            return {"status": "error", "reason": "the original timed out on %s" % where}
        progress.mark("candidate", set_name, index, call)
        _seeded(job["seed"], checked)
        candidate_limit = min(limit, max(CANDIDATE_FLOOR_SECONDS, CANDIDATE_SLOWDOWN_ALLOWED * expected.seconds))
        actual = calls.invoke(candidate.fn, candidate_args[0], candidate_args[1], candidate_limit)
        checked += 1
        if actual.timed_out:
            return {
                "status": "timeout",
                "reason": "the candidate ran longer than %.1f s (the original took %.3f s) on %s"
                % (candidate_limit, expected.seconds, where),
            }
        if actual.fatal and type(actual.error) is not type(expected.error):
            return {
                "status": "error",
                "reason": "the candidate raised %s on %s" % (calls.describe_exception(actual.error), where),
                "detail": "the original %s" % expected.describe(),
            }
        mismatch = _compare(comparator, call, expected, actual, original_args, candidate_args)
        if mismatch is not None:
            mismatches += 1
            if smallest is None or mismatch.size < smallest.size:
                smallest = mismatch
        if isinstance(actual.error, MemoryError):
            break  # the process may be too starved to go on reliably
    if smallest is None:
        return {"status": "equivalent", "inputsChecked": checked}
    return {
        "status": "different", "inputsChecked": checked, "mismatches": mismatches,
        "counterexample": smallest.as_json(comparator),
    }
