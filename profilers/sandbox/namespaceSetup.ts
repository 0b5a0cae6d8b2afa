/**
 * The `unshare` kind's equivalent of what bubblewrap does itself: inside fresh user, mount, PID, network, IPC and UTS
 * namespaces (made by util-linux `unshare`), a few lines of Python build the same view as bwrap — an empty tmpfs root,
 * read-only binds, sized tmpfs mounts, a minimal /dev and a /proc of the new PID namespace — switch to it with
 * pivot_root, detach the host's tree, remount the root read-only and drop every capability before executing the limits
 * shell. Without the capability drop, the code (root of its user namespace) could unmount the view and see the host.
 *
 * Python (the host's real interpreter, run with -I -S) rather than a shell script: it calls mount(2) directly, so a
 * read-only remount can keep the flags the kernel locks on a bind of a host mount (nosuid, nodev, atime), and nothing
 * needs to be found on disk once the root has changed.
 */
import type { MountOp } from './sandboxView.js';

/** Printed with SETUP_FAILURE_EXIT when the view cannot be built: a sandbox failure, never a result. */
export const SETUP_FAILURE_MARKER = 'perfloop-sandbox: cannot build the sandbox view';
export const SETUP_FAILURE_EXIT = 124;

/** argv[1]: JSON {ops, workDir, devShmBytes}; argv[2:]: the program. */
const SETUP_SCRIPT = `
import ctypes, ctypes.util, json, os, stat, sys
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME = 1, 2, 4, 8, 1024, 2048
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE, MS_RELATIME = 32, 4096, 16384, 1 << 18, 1 << 21
MNT_DETACH, PR_CAPBSET_DROP = 2, 24
libc = ctypes.CDLL(None, use_errno=True)
plan = json.loads(sys.argv[1])
NEW = "/sys"  # the new root is built on a tmpfs mounted here: no source is ever under /sys

def fail(what):
    sys.stderr.write("${SETUP_FAILURE_MARKER}: %s: %s\\n" % (what, os.strerror(ctypes.get_errno())))
    sys.exit(${SETUP_FAILURE_EXIT})

def mount(source, target, fstype, flags, data=None):
    enc = lambda s: None if s is None else s.encode()
    return libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) == 0

def locked_flags(target):
    # A bind of a host mount keeps the flags the kernel locked on it; a remount without them is refused.
    f = os.statvfs(target).f_flag
    pairs = [(os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
             (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)]
    return sum(ms for st, ms in pairs if f & st)

def make_point(target, directory):
    try:
        if directory:
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.lexists(target):
                open(target, "a").close()
        return True
    except OSError:
        return False

def bind(source, target, writable):
    try:
        directory = stat.S_ISDIR(os.stat(source).st_mode)
    except OSError:
        return  # vanished since the view was planned: not shown
    if not make_point(target, directory) or not mount(source, target, None, MS_BIND):
        return
    if not writable and not mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(target)):
        fail("read-only bind of " + source)

def tmpfs(target, size, mode="755"):
    os.makedirs(target, exist_ok=True)
    if not mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,mode=%s" % (size, mode)):
        fail("tmpfs on " + target)

if not mount(None, "/", None, MS_REC | MS_PRIVATE):
    fail("private mounts")
tmpfs(NEW, 1 << 20)
for op in plan["ops"]:
    target = NEW + op["path"]
    kind = op["op"]
    if kind in ("ro", "rw"):
        bind(op["path"], target, kind == "rw")
    elif kind == "dir":
        make_point(target, True)
    elif kind == "symlink":
        make_point(os.path.dirname(target), True)
        os.symlink(op["target"], target)
    elif kind == "copy":
        try:
            with open(op["path"], "rb") as source, open(target, "wb") as copy:
                copy.write(source.read())
        except OSError:
            pass  # vanished since the view was planned: not shown
    elif kind == "tmpfs":
        tmpfs(target, op["bytes"], "1777" if op["path"] == "/tmp" else "755")
dev = NEW + "/dev"
tmpfs(dev, 1 << 16)
for node in ("null", "zero", "full", "random", "urandom", "tty"):
    bind("/dev/" + node, dev + "/" + node, True)
for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
    os.symlink(target, dev + "/" + name)
tmpfs(dev + "/shm", plan["devShmBytes"], "1777")
if not mount(None, dev, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV):
    fail("read-only /dev")
os.makedirs(NEW + "/proc", exist_ok=True)
if not mount("proc", NEW + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC):
    fail("/proc")

os.chdir(NEW)
os.mkdir(".old")
if libc.syscall(ctypes.c_long(${'{'}"x86_64": 155, "aarch64": 41}[os.uname().machine]), b".", b".old") != 0:
    fail("pivot_root")
os.chdir("/")
if libc.umount2(b"/.old", MNT_DETACH) != 0:
    fail("detach the host's tree")
os.rmdir("/.old")
if not mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV):
    fail("read-only root")
os.chdir(plan["workDir"])

# No capability survives: the bounding set is emptied and capset() clears the rest, so executing the program as the
# namespace's root gives it none (its permitted set is the empty inheritable set plus the empty bounding set).
cap = 0
while libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0) == 0:
    cap += 1
class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
if libc.capset(ctypes.byref(CapHeader(0x20080522, 0)), (CapData * 2)()) != 0:
    fail("drop capabilities")
try:
    os.execv(sys.argv[2], sys.argv[2:])
except OSError as error:
    sys.stderr.write("perfloop-sandbox: cannot execute %s: %s\\n" % (sys.argv[2], error))
    sys.exit(127)
`;

/** Put in front of the limits shell under unshare: `python -I -S -c SCRIPT PLAN …`. */
export function namespaceSetupPrefix(python: string, ops: readonly MountOp[], workDir: string, devShmBytes: number): string[] {
  return [python, '-I', '-S', '-c', SETUP_SCRIPT, JSON.stringify({ ops, workDir, devShmBytes })];
}
