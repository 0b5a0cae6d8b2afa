"""Inputs an LLM-written generator makes apart from the code under test.

`inputs` mode runs the generator in a process of its own, with the original loaded (a generator may build instances of
its classes), and writes what `materialise` made as a pickle. Each side's outcomes process and timing worker then reads
that file instead of running the generator: nothing the generator does can reach a process whose word Perfloop takes
for a verdict. The file is read with a restricted unpickler: the program's classes become the reading side's own (a
candidate's method calls the candidate's helpers), a short list of standard types and the classes of the user's own
project are allowed, and anything else (a function, `os.system`, the generator's own classes) is refused. Inputs that
cannot make that round trip unchanged are not written: the reason is reported, and the generator runs in each side's
process as before (the report warns).
"""
import importlib
import importlib.util
import io
import os
import pickle
import sys

from . import programs, snapshot
from .workload import Inputs, WorkloadError, fresh_call, rebind, warm_up_call

FORMAT = 1

# Standard types whose unpickling runs no code a pickle chooses: containers, scalars, and their reconstructors.
SAFE_GLOBALS = {
    "builtins": {"bool", "int", "float", "complex", "str", "bytes", "bytearray", "list", "tuple", "dict", "set",
                 "frozenset", "slice", "range", "object", "Ellipsis", "NotImplemented"},
    "copyreg": {"_reconstructor", "__newobj__", "__newobj_ex__"},
    "collections": {"OrderedDict", "defaultdict", "deque", "Counter"},
    "decimal": {"Decimal"},
    "fractions": {"Fraction"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone", "tzinfo"},
    "uuid": {"UUID", "SafeUUID"},
    "array": {"array", "_array_reconstructor"},
    "re": {"_compile"},
    "pathlib": {"PurePath", "PurePosixPath", "Path", "PosixPath"},
    "pathlib._local": {"PurePath", "PurePosixPath", "Path", "PosixPath"},
    "numpy": {"ndarray", "dtype"},
    "numpy.core.multiarray": {"_reconstruct", "scalar"},
    "numpy._core.multiarray": {"_reconstruct", "scalar"},
}
PROGRAM_MODULES = set(programs.MODULE_NAMES.values())
INSTALLED = ("site-packages", "dist-packages")


class Refused(pickle.UnpicklingError):
    pass


def _under(path, roots):
    path = os.path.realpath(path)
    if any(part in INSTALLED for part in path.split(os.sep)):
        return False
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def project_roots(job):
    """Where the user's own modules live: the project's import roots and its root (installed packages excluded)."""
    roots = list(job.get("searchPaths", []))
    if job.get("workingDirectory"):
        roots.append(job["workingDirectory"])
    return [os.path.realpath(root) for root in roots if root]


def _origin(name):
    loaded = sys.modules.get(name)
    if loaded is not None:
        return getattr(loaded, "__file__", None)
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    if spec.origin and spec.has_location:
        return spec.origin
    locations = list(spec.submodule_search_locations or [])
    return locations[0] if locations else None


def _project_module(name, roots):
    """The user's module `name`, imported only once its top-level package and itself are found under the project."""
    try:
        top = name.partition(".")[0]
        origin = _origin(top)  # a top-level name is located without running anything
        if not origin or not _under(origin, roots):
            return None
        origin = _origin(name)
        if not origin or not _under(origin, roots):
            return None
        return importlib.import_module(name)
    except (ImportError, ValueError, AttributeError):
        return None


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles inputs for one program: its classes by qualified name, SAFE_GLOBALS, and classes of the user's project."""

    def __init__(self, file, program, roots):
        super().__init__(file)
        self.classes = program.classes if program is not None else {}
        # The user's file as the project imports it: its copy of a program class is the program's (as workload.rebind).
        self.user_module = program.module_name if program is not None else None
        self.roots = roots

    def find_class(self, module, name):
        if module in PROGRAM_MODULES or (module == self.user_module and name in self.classes):
            klass = self.classes.get(name)
            if klass is None:
                raise Refused("the program defines no class %s" % name)
            return klass
        if name in SAFE_GLOBALS.get(module, ()):
            return super().find_class(module, name)
        found = _project_module(module, self.roots)
        if found is not None:
            value = found
            for part in name.split("."):
                value = getattr(value, part, None)
            if isinstance(value, type):
                return value
        raise Refused("%s.%s is neither plain data nor a class of the program or of your project" % (module, name))


def _payload(job, program, inputs):
    same = inputs.performance is inputs.correctness
    payload = {
        "format": FORMAT,
        "correctness": inputs.correctness,
        "performance": None if same else inputs.performance,
        "sizeable": inputs.sizeable,
        "sizedN": inputs.sized_n,
        "timedSizedN": inputs.timed_sized_n,
        "fresh": fresh_call(job, inputs),
        "warm": warm_up_call(job, inputs),
    }
    # Instances of the user's own module's copy of a program class (a generator that imports it) pickle as the program's,
    # as every side's copy of an input makes them today (workload.copy_call).
    if program is not None and program.classes:
        rebind(_calls(payload), program.classes)
    return payload


def _calls(payload):
    calls = list(payload["correctness"]) + list(payload["performance"] or [])
    return calls + [call for call in (payload["fresh"], payload["warm"]) if call is not None]


def _round_trip(job, program, payload):
    """The pickled payload, or why it cannot be passed as data (it does not pickle, or does not come back the same)."""
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # a lambda, a generator, an open file, a local class: noted, not fatal
        return None, "they do not pickle: %s: %s" % (type(error).__name__, str(error)[:200])
    try:
        back = RestrictedUnpickler(io.BytesIO(data), program, project_roots(job)).load()
    except Exception as error:
        return None, "they do not unpickle as data: %s" % (str(error)[:200] or type(error).__name__)
    before, after = _calls(payload), _calls(back)
    if len(before) != len(after):
        return None, "they do not come back the same from a pickle"
    for index, (original, copy) in enumerate(zip(before, after)):
        if snapshot.snapshot_arguments(*original) != snapshot.snapshot_arguments(*copy):
            return None, "input %d does not come back the same from a pickle" % index
    return data, None


def beside_code_reason(job, program, inputs):
    """Why these inputs cannot be passed to the sides as data, or None (workload mode says so for the report)."""
    return _round_trip(job, program, _payload(job, program, inputs))[1]


def write_inputs(job, program, inputs):
    """`inputs` mode: the inputs as a pickle at job["inputsFile"], or why not ({"besideCode": reason})."""
    data, reason = _round_trip(job, program, _payload(job, program, inputs))
    if reason is not None:
        return {"besideCode": reason}
    with open(job["inputsFile"], "wb") as handle:
        handle.write(data)
    return {"written": len(data)}


def load_inputs(job, program):
    """The inputs the `inputs` process wrote, for this side: the generator is never imported here."""
    try:
        with open(job["inputsFile"], "rb") as handle:
            payload = RestrictedUnpickler(handle, program, project_roots(job)).load()
    except (OSError, pickle.UnpicklingError, EOFError) as error:
        raise WorkloadError("the generated inputs cannot be read: %s" % error) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise WorkloadError("the generated inputs file is not one")
    correctness = payload["correctness"]
    performance = payload["performance"] if payload["performance"] is not None else correctness
    return Inputs(
        correctness, performance, None, payload["sizedN"], payload["timedSizedN"],
        made_apart={"sizeable": payload["sizeable"], "fresh": payload["fresh"], "warm": payload["warm"]},
    )
