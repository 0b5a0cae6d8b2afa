"""The naive baseline's stopwatch: ONE timed pass of a solution over a workload's performance inputs.

Usage (inside Perfloop's sandbox only: the solution is LLM-written): python3 wallTimer.py JOB.json
JOB: {"source", "entryPoint", "workloadPath", "resultPath"}. The workload module is the one Perfloop measures with
(performance_inputs(), else correctness_inputs()); inputs are built and deep-copied before the clock starts, so a solution
that mutates its arguments sees fresh ones. No warm-up, no repeats, no statistics: what a quick manual timing does.
Answer (in resultPath): {"seconds": seconds per call} or {"error": text}.
"""
import copy
import json
import os
import random
import sys
import time


def load(path, name):
    namespace = {"__name__": name}
    with open(path, encoding="utf-8") as handle:
        exec(compile(handle.read(), path, "exec"), namespace)
    return namespace


def main(job_path):
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    result = {}
    saved = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        random.seed(0)
        workload = load(job["workloadPath"], "__evalperf_workload__")
        make = workload.get("performance_inputs") or workload["correctness_inputs"]
        inputs = [list(args) for args in make()]
        namespace = {"__name__": "__evalperf_solution__"}
        exec(compile(job["source"], "<solution>", "exec"), namespace)
        fn = namespace[job["entryPoint"]]
        calls = [copy.deepcopy(args) for args in inputs]
        clock = time.perf_counter
        start = clock()
        for args in calls:
            try:
                fn(*args)
            except Exception:
                pass
        result = {"seconds": (clock() - start) / max(1, len(calls))}
    except BaseException as error:  # noqa: B902 - report any failure as the answer
        result = {"error": "%s: %s" % (type(error).__name__, str(error)[:200])}
    finally:
        sys.stdout = saved
    # In place, not through a rename: the sandbox makes only this file writable (see datasetOracle.py).
    text = json.dumps(result)
    with open(job["resultPath"], "w", encoding="utf-8") as handle:
        handle.write(text)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
