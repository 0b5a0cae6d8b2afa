"""Entry of the Perfloop Python harness: one job file in, one result file out.

The result goes to a file, not stdout, so whatever user code prints cannot corrupt the protocol. The harness never starts
a process (the sandbox forbids fork): per-call time limits use SIGALRM.
"""
import faulthandler
import json
import os
import random
import sys
import traceback

from . import calls, equal, generated, lineprofile, measure, outcomes, programs, serve, timing, unseen, verify
from .workload import WorkloadError, materialise

PROTOCOL_VERSION = 1
ONE_SIDE_MODES = ("outcomes", "serve")


def _write_result(path, result):
    # In place, not through a rename: the sandbox makes this one file writable (a rename onto it fails), and the runner
    # reads it only once the process has ended, when a half-written file is invalid JSON, i.e. no result.
    text = json.dumps(result, allow_nan=False)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _load(job, side):
    spec = job["programs"].get(side)
    if spec is None:
        return None
    random.seed(job["seed"] - 1)  # module-level randomness is reproducible too
    return programs.load_program(side, spec, job["callTimeoutSeconds"])


def _inputs(job, program, calibrate):
    """The job's inputs: read from the file an `inputs` process wrote (an LLM-written generator's, made apart from the
    code under test), else made here."""
    if job.get("inputsFile") and job["mode"] != "inputs":
        return generated.load_inputs(job, program)
    return materialise(job, program, job["callTimeoutSeconds"], calibrate=calibrate)


def _run(job):
    mode = job["mode"]
    if mode == "inputs":
        # The generator with the original only: what it makes reaches the sides as data.
        program = _load(job, "original")
        inputs = _inputs(job, program, calibrate=False)
        return {"ok": True, "mode": mode, "sizedN": inputs.sized_n, "data": generated.write_inputs(job, program, inputs)}
    if mode in ONE_SIDE_MODES:
        # One side of a comparison, in a process of its own: Perfloop compares the two sides' reports.
        side = job["side"]
        program = _load(job, side)
        inputs = _inputs(job, program, calibrate=False)
        if mode == "serve":
            serve.serve(job, program, inputs, outcomes.inputs_digest(inputs))  # answers until told to stop; never returns
        data = outcomes.run_outcomes(job, side, program, inputs, verify.Progress(job.get("progressPath")))
        return {"ok": True, "mode": mode, "sizedN": inputs.sized_n, "data": data}
    single = _load(job, "original") or _load(job, "program")
    if single is None:
        raise ValueError("the job names no program")
    if mode == "equal":
        # No inputs are made: the values to compare come with the job.
        return {"ok": True, "mode": mode, "sizedN": None, "data": equal.run_equal(job, single)}
    # Complexity mode makes its own sizes: no need to calibrate a performance size first.
    inputs = _inputs(job, single, calibrate=mode != "complexity")
    progress = verify.Progress(job.get("progressPath"))
    if mode == "workload":
        data = verify.check_workload(job, single, inputs, progress)
        # Only an LLM-written generator's inputs are made apart (profilers/sizedWorkloads.ts, generatedApart).
        reason = generated.beside_code_reason(job, single, inputs) if job["workload"]["kind"] == "generator" else None
        if reason:
            data["generatorBesideCode"] = reason
    elif mode == "complexity":
        data = timing.measure_complexity(job, single, inputs)
    elif mode == "count":
        data = measure.run_for_count(job, single, inputs)
    elif mode == "memory":
        data = measure.measure_memory(job, single, inputs)
    elif mode == "profile":
        data = lineprofile.profile_lines(job, single, inputs)
    else:
        raise ValueError("unknown mode %r" % mode)
    return {"ok": True, "mode": mode, "sizedN": inputs.sized_n, "data": data}


def _enter_project(job):
    """sys.path and working directory as the user's project has them when it imports the code."""
    # Where the project imports the user's file and workload module from, first, as a script's folder would be.
    for path in reversed(job.get("searchPaths", [])):
        if path not in sys.path:
            sys.path.insert(1, path)
    # The interpreter's sys.path outside the sandbox: PYTHONPATH (dropped with the environment) and the folders of `.pth`
    # files and editable installs (skipped by site.py while they were not visible). Python's order: PYTHONPATH entries
    # before the standard library, `.pth` folders after site-packages.
    known = set(sys.path)
    outside = job.get("interpreterPaths", [])
    for index, path in enumerate(outside):
        if path in known:
            continue
        later = [p for p in outside[index + 1:] if p in known]
        at = sys.path.index(later[0]) if later else len(sys.path)
        sys.path.insert(at, path)
        known.add(path)
    directory = job.get("workingDirectory")
    if directory:
        try:
            os.chdir(directory)  # data files the project opens by a relative path
        except OSError:
            pass  # not visible: the code's own error will say which file it missed


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        job = json.load(handle)
    faulthandler.enable()  # a segfault in user code leaves a Python traceback on stderr for the report
    calls.install()
    _enter_project(job)
    if job["mode"] == "workload":
        unseen.watch()
    try:
        result = _run(job)
    except programs.ProgramError as error:
        result = {"ok": False, "error": {
            "kind": "program", "side": error.side, "message": error.message, "line": error.line, "detail": error.detail,
        }}
    except WorkloadError as error:
        result = {"ok": False, "error": {"kind": "workload", "message": error.message, "detail": error.detail}}
    except BaseException as error:  # a harness bug: report it with the full traceback instead of dying silently
        result = {"ok": False, "error": {
            "kind": "internal", "message": calls.describe_exception(error), "detail": traceback.format_exc()[-4000:],
        }}
    result["protocol"] = PROTOCOL_VERSION
    result["python"] = sys.version.split()[0]
    result["hashRandomization"] = bool(sys.flags.hash_randomization)
    result["missingFiles"] = unseen.missing_files()
    try:
        _write_result(job["resultPath"], result)
    except (TypeError, ValueError) as error:  # e.g. a non-finite float: still answer, as a harness bug
        _write_result(job["resultPath"], {
            "ok": False, "error": {"kind": "internal", "message": "unserialisable result: %s" % error},
            "protocol": PROTOCOL_VERSION, "python": result["python"], "hashRandomization": result["hashRandomization"],
        })
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: user atexit hooks and threads cannot hang or alter a finished run.
    os._exit(0)
