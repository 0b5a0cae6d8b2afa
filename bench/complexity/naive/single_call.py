"""Naive two-point baseline: one timed call at each of two sizes, in one fresh process, no repeats, no calibration.
Usage: python3 single_call.py CODE_FILE FUNCTION WORKLOAD_FILE N_SMALL N_LARGE  ->  {"small": s, "large": s} on stdout."""
import importlib.util
import json
import sys
import time


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    code_file, function, workload_file, small, large = sys.argv[1:6]
    fn = getattr(load(code_file, "known_code"), function)
    workload = load(workload_file, "known_workload")
    seconds = {}
    for label, n in (("small", int(small)), ("large", int(large))):
        args = workload.sized_input(n)
        start = time.perf_counter()
        fn(*args)
        seconds[label] = time.perf_counter() - start
    print(json.dumps(seconds))


main()
