"""Loading the original and candidate modules from source, with readable errors and tracebacks."""
import functools
import inspect
import linecache
import os
import sys
import traceback
import types

from . import calls

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
MODULE_NAMES = {
    "original": "__perfloop_original__", "candidate": "__perfloop_candidate__", "program": "__perfloop_program__",
}


class ProgramError(Exception):
    """A program (or workload) could not be loaded: syntax error, exception at import, missing function."""

    def __init__(self, side, message, line=None, detail=""):
        super().__init__(message)
        self.side = side
        self.message = message
        self.line = line
        self.detail = detail


def user_traceback(error, limit=3000):
    """The traceback without the harness's own frames, tail-truncated (the end is the informative part)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(HARNESS_DIR)]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    text = "".join(lines)
    return text if len(text) <= limit else "..." + text[-(limit - 3):]


def register_source(filename, source):
    # Lets tracebacks of code compiled from a string show its lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def compile_source(side, source, filename):
    register_source(filename, source)
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        text = (getattr(error, "text", None) or "").rstrip()
        message = "%s: %s" % (type(error).__name__, getattr(error, "msg", None) or error)
        if line:
            message += " (line %d)" % line
        return ProgramError(side, message, line, text)


def import_failure_hint(error, module_name):
    """What to do about an import that fails where Perfloop runs the code but works in the user's own runs."""
    where = "as module `%s`, " % module_name if module_name else ""
    context = "(%sworking directory %s, sys.path: %s)" % (where, os.getcwd(), ", ".join(p for p in sys.path[1:] if p))
    if error.name is None and "relative import" in str(error):
        return ("; a relative import needs the file to be inside a package %s: add an __init__.py to its folder, or "
                "run it from the package it belongs to" % context)
    return ("; the import `%s` failed where Perfloop runs the code %s. If it is installed, choose the interpreter of the "
            "environment that has it (--python, the perfloop.pythonPath setting); if it is your own code, add its folder "
            "to PYTHONPATH or name the project root with --project-dir" % (error.name or "?", context))


def execute_module(side, code, name, file_path, limit_seconds, provided=None, package=None, module_name=None):
    module = types.ModuleType(name)
    for qualname, value in (provided or {}).items():
        if "." not in qualname:  # names the module defines itself replace these
            setattr(module, qualname, value)
    if file_path:
        module.__file__ = file_path  # code locating data files next to itself keeps working
    if package:
        # The package the project imports the module from: its relative imports resolve as there. The module keeps its
        # own name (the original's and each candidate's are told apart by it), which relative imports never read.
        module.__package__ = package
    sys.modules[name] = module  # dataclasses, typing and pickle look modules up by name
    outcome = calls.invoke(exec, (code, module.__dict__), {}, limit_seconds, keep_traceback=True)
    if outcome.timed_out:
        raise ProgramError(side, "importing the %s took longer than %.0f s" % (side, limit_seconds))
    if outcome.raised:
        error = outcome.error
        line = None
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename == code.co_filename:
                line = frame.lineno
        hint = import_failure_hint(error, module_name) if isinstance(error, ImportError) else ""
        raise ProgramError(
            side,
            "importing the %s raised %s%s" % (side, calls.describe_exception(error), hint),
            line,
            user_traceback(error),
        )
    return module


class LoadedProgram:
    def __init__(self, side, module, fn, source, module_name=None):
        self.side = side
        self.module = module
        # The name the project imports the user's file by: its classes are this program's (generated.py).
        self.module_name = module_name
        self.fn = fn
        self.classes = _defined_classes(module)
        self.source_lines = source.splitlines()
        target = inspect.unwrap(fn)
        code = getattr(target, "__code__", None)
        self.first_line = code.co_firstlineno if code else 1
        self.codes = set(_nested_codes(code)) if code else set()


def _defined_classes(module):
    """The classes the program's own source defines (nested ones too), by qualified name."""
    found = {}
    stack = [value for value in vars(module).values() if isinstance(value, type)]
    while stack:
        klass = stack.pop()
        if klass.__module__ != module.__name__ or found.get(klass.__qualname__) is klass:
            continue
        found[klass.__qualname__] = klass
        stack.extend(value for value in vars(klass).values() if isinstance(value, type))
    return found


def _nested_codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _nested_codes(const)


def _resolve(module, dotted_name):
    value = module
    for part in dotted_name.split("."):
        value = getattr(value, part)
    return value


def load_program(side, spec, limit_seconds):
    """spec: {"path": file with the module source, "functionName": ..., "filePath": the user's file, if known,
    "packageName" and "moduleName": how its project imports it, if known}."""
    with open(spec["path"], encoding="utf-8") as handle:
        source = handle.read()
    filename = "<%s>" % side
    code = compile_source(side, source, filename)
    if isinstance(code, ProgramError):
        raise code
    module = execute_module(
        side, code, MODULE_NAMES[side], spec.get("filePath"), limit_seconds,
        package=spec.get("packageName"), module_name=spec.get("moduleName"),
    )
    try:
        fn = _resolve(module, spec["functionName"])
    except AttributeError:
        raise ProgramError(side, "the %s does not define `%s`" % (side, spec["functionName"])) from None
    if not callable(fn):
        raise ProgramError(side, "`%s` in the %s is not callable" % (spec["functionName"], side))
    if inspect.iscoroutinefunction(inspect.unwrap(fn)):
        fn = run_to_completion(fn)
    return LoadedProgram(side, module, fn, source, spec.get("moduleName"))


def run_to_completion(fn):
    """An async function as a plain one: what it does is what its coroutine returns once run, and what it costs is
    running it (calling it only creates the coroutine). Every mode calls the wrapper, so equivalence, timing, profiling
    and memory all see the finished work. One event loop serves every call of the process: a fresh loop per call would
    add its set-up to each timed call; a loop interrupted by a time limit (a BaseException) is replaced."""
    import asyncio  # only async targets pay for importing it

    loops = []

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if not loops:
            loops.append(asyncio.new_event_loop())
        try:
            return loops[0].run_until_complete(fn(*args, **kwargs))
        except Exception:
            raise
        except BaseException:
            loops.clear()
            raise

    return call
