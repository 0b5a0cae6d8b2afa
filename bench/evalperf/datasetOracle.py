"""Runs one solution against an EvalPerf task's own tests with expected outputs, with EvalPerf's comparison rules.

Usage (inside Perfloop's sandbox only: the solution is LLM-written): python3 datasetOracle.py JOB.json
The job names the solution source, the entry point, the tests (args repr, expected repr), the stress inputs (args
expression, expected repr or sha256 of the repr), atol and special_oracle. The answer goes to job["resultPath"], never
stdout (the solution may print). Stops at the first failing input.

Comparison (the data README's rule, as EvalPlus applies it): equal with ==, or, when the expected value is a float or a
list/tuple of floats, within atol (at least 1e-6) plus a relative 1e-7; a special oracle compares as sets. A stress input
recorded only as the sha256 of the output's repr is compared that way, except for sets and dicts (and special-oracle
tasks), whose repr depends on insertion order rather than value.
"""
import hashlib
import json
import math
import os
import random
import signal
import sys

LITERAL_NAMES = {"inf": float("inf"), "nan": float("nan"), "set": set, "frozenset": frozenset, "complex": complex}


class CallTimeout(BaseException):
    """BaseException so that a solution's `except Exception` cannot swallow it."""


def _on_alarm(signum, frame):
    raise CallTimeout()


def decode_literal(text):
    return eval(text, {"__builtins__": {}}, dict(LITERAL_NAMES))


def is_floats(value):
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(item, float) for item in value)
    return False


def close_enough(actual, expected, atol):
    if isinstance(expected, float):
        expected, actual = [expected], [actual]
    try:
        if len(actual) != len(expected):
            return False
        for a, e in zip(actual, expected):
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                return False
            if math.isnan(e) or math.isnan(a):
                return False
            if abs(a - e) > atol + 1e-7 * abs(e):
                return False
        return True
    except TypeError:
        return False


def outputs_match(actual, expected, atol, special_oracle):
    if special_oracle:
        try:
            return set(actual) == set(expected)
        except TypeError:
            return False
    try:
        if actual == expected:
            return True
    except Exception:
        return False
    if is_floats(expected):
        return close_enough(actual, expected, max(atol, 1e-6))
    return False


def short(value, limit=200):
    try:
        text = repr(value)
    except Exception:
        text = "<unrepresentable %s>" % type(value).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_with_limit(fn, args, seconds):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def check(job):
    namespace = {"__name__": "__evalperf_solution__"}
    try:
        signal.setitimer(signal.ITIMER_REAL, job["loadSeconds"])
        exec(compile(job["source"], "<solution>", "exec"), namespace)
        signal.setitimer(signal.ITIMER_REAL, 0)
        fn = namespace[job["entryPoint"]]
    except BaseException as error:  # noqa: B902 - any failure to load is the answer
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"status": "load-error", "checked": 0, "detail": "%s: %s" % (type(error).__name__, short(error))}
    inputs = [("test", i, t["args"], t["expected"], None, job["testSeconds"]) for i, t in enumerate(job["tests"])]
    inputs += [("stress", i, p["expr"], p.get("expected"), p.get("sha256"), job["stressSeconds"]) for i, p in enumerate(job["stress"])]
    checked = 0
    for kind, index, args_text, expected_text, sha, seconds in inputs:
        random.seed(index)
        args = decode_literal(args_text) if kind == "test" else eval(args_text, {"random": random})
        where = "%s %d %s" % (kind, index, short(args, 160))
        at = {"failedKind": kind, "failedIndex": index}
        try:
            actual = call_with_limit(fn, args, seconds)
        except CallTimeout:
            return {"status": "timeout", "checked": checked, **at, "detail": "longer than %.0f s on %s" % (seconds, where)}
        except RecursionError:
            return {"status": "exception", "checked": checked, **at, "detail": "RecursionError on %s" % where}
        except (Exception, SystemExit) as error:
            return {"status": "exception", "checked": checked, **at, "detail": "%s: %s on %s" % (type(error).__name__, short(error, 120), where)}
        checked += 1
        if expected_text is not None:
            expected = decode_literal(expected_text)
            if not outputs_match(actual, expected, job["atol"], job["specialOracle"]):
                return {"status": "wrong-output", "checked": checked, **at,
                        "detail": "%s: expected %s, got %s" % (where, short(expected), short(actual))}
        elif sha is not None and not job["specialOracle"] and not isinstance(actual, (set, frozenset, dict)):
            # A set's repr follows its iteration order, not its value: its hash proves nothing, so it is not compared.
            if hashlib.sha256(repr(actual).encode("utf-8", "surrogatepass")).hexdigest() != sha:
                return {"status": "wrong-output", "checked": checked, **at, "detail": "%s: repr's sha256 differs (got %s)" % (where, short(actual))}
    return {"status": "pass", "checked": checked}


def main(path):
    with open(path, encoding="utf-8") as handle:
        job = json.load(handle)
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.setrecursionlimit(10000)
    saved = sys.stdout
    sys.stdout = open(os.devnull, "w")  # the solution's prints are not the answer
    try:
        result = check(job)
    except BaseException as error:  # the checker itself failed: say so rather than die silently
        result = {"status": "error", "checked": 0, "detail": "%s: %s" % (type(error).__name__, short(error))}
    finally:
        sys.stdout = saved
    # In place, not through a rename: the sandbox makes only this file writable (a rename onto it fails), and the
    # runner reads it once the process has ended, when a half-written file is invalid JSON, i.e. no answer.
    text = json.dumps(result)
    with open(job["resultPath"], "w", encoding="utf-8") as handle:
        handle.write(text)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
