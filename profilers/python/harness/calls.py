"""One call of user code with a time limit (SIGALRM: no threads, no fork) and captured stdout."""
import io
import signal
import sys
import time

from .compare import ConsumedIterator, is_iterator, short_repr

# Raised again every REPEAT_SECONDS after the limit, so code that swallows one BaseException still gets stopped.
REPEAT_SECONDS = 0.05

# Exceptions after which a candidate is broken rather than merely different.
FATAL_EXCEPTIONS = (SystemExit, KeyboardInterrupt, GeneratorExit, RecursionError, MemoryError)


class CallTimeout(BaseException):
    """Raised inside user code when its call exceeds the limit."""


_armed = False


def _on_alarm(signum, frame):
    # Never raise inside the harness's own bookkeeping (this file): only inside the user code being timed.
    if _armed and (frame is None or frame.f_code.co_filename != __file__):
        raise CallTimeout()


def install():
    signal.signal(signal.SIGALRM, _on_alarm)


def _disarm():
    global _armed
    _armed = False
    signal.setitimer(signal.ITIMER_REAL, 0, 0)


class Outcome:
    __slots__ = ("value", "error", "stdout", "seconds", "cpu_seconds", "timed_out")

    def __init__(self):
        self.value = None
        self.error = None
        self.stdout = ""
        self.seconds = 0.0
        # CPU time of this thread during the call: what sizing reads, since a busy machine stretches wall time, not this.
        self.cpu_seconds = 0.0
        self.timed_out = False

    @property
    def raised(self):
        return self.error is not None

    @property
    def fatal(self):
        return self.error is not None and (
            isinstance(self.error, FATAL_EXCEPTIONS) or not isinstance(self.error, Exception)
        )

    def describe(self):
        if self.timed_out:
            return "timed out after %.2f s" % self.seconds
        if self.error is not None:
            return "raised " + describe_exception(self.error)
        return "returned " + short_repr(self.value)


def describe_exception(error, limit=300):
    message = str(error) if not isinstance(error, SystemExit) else "exit status %r" % (error.code,)
    if len(message) > limit:
        message = message[: limit - 3] + "..."
    return type(error).__name__ + (": " + message if message else "")


class _NullWriter(io.TextIOBase):
    def write(self, text):
        return len(text)

    def writable(self):
        return True


NULL_WRITER = _NullWriter()


def invoke(fn, args, kwargs, limit_seconds, capture_stdout=True, keep_traceback=False):
    """Calls fn(*args, **kwargs); a returned iterator is consumed inside the limit (its body is the real work)."""
    global _armed
    outcome = Outcome()
    buffer = io.StringIO() if capture_stdout else NULL_WRITER
    saved_stdout, saved_stderr = sys.stdout, sys.stderr
    saved_limit = sys.getrecursionlimit()
    started = time.perf_counter()
    started_cpu = time.thread_time()
    try:
        try:
            sys.stdout = buffer
            _armed = True
            signal.setitimer(signal.ITIMER_REAL, max(limit_seconds, 0.001), REPEAT_SECONDS)
            value = fn(*args, **kwargs)
            if is_iterator(value):
                value = ConsumedIterator(list(value))
            outcome.value = value
        finally:
            _disarm()
            sys.stdout, sys.stderr = saved_stdout, saved_stderr
            sys.setrecursionlimit(saved_limit)
    except CallTimeout:
        outcome.timed_out = True
    except BaseException as error:  # everything user code raises is behaviour to report
        if not keep_traceback:
            error.__traceback__ = None  # frames may hold large locals
        outcome.error = error
    outcome.seconds = time.perf_counter() - started
    outcome.cpu_seconds = time.thread_time() - started_cpu
    if capture_stdout:
        outcome.stdout = buffer.getvalue()
    return outcome
