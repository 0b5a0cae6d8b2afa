/**
 * Classic-BPF seccomp programs for sandboxed code. Always: no AF_UNIX socket, because a Unix socket file in any visible
 * directory (an SSH or Docker agent, a language server) crosses the network namespace; socketpair(2), which Python and
 * Node use internally, stays allowed as it reaches nothing outside. Unless subprocesses are allowed: no process creation,
 * while threads stay allowed.
 *
 * Why seccomp and not RLIMIT_NPROC: the rlimit is not enforced for root and, for a normal user, counts every process the
 * user owns on the machine, so no value is both safe and harmless. Refusing the syscalls is exact.
 *
 * The bytes are what `seccomp_export_bpf` would produce (an array of `struct sock_filter`, host byte order), which is the
 * format bubblewrap's `--seccomp FD` expects.
 */

// struct seccomp_data offsets (include/uapi/linux/seccomp.h).
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
/** Low 32 bits of args[0] on little-endian machines (x86_64 and aarch64 both are). */
const OFFSET_ARG0_LOW = 16;

// BPF opcodes (include/uapi/linux/filter.h).
const BPF_LD_W_ABS = 0x20;
const BPF_JMP_JEQ_K = 0x15;
const BPF_JMP_JGE_K = 0x35;
const BPF_JMP_JSET_K = 0x45;
const BPF_RET_K = 0x06;

const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_AARCH64 = 0xc00000b7;
/** x32 ABI syscalls arrive with arch x86_64 and this bit set in nr; they would bypass the x86_64 numbers. */
const X32_SYSCALL_BIT = 0x40000000;
const CLONE_THREAD = 0x00010000;
const AF_UNIX = 1;

const X86_64 = { socket: 41, clone: 56, fork: 57, vfork: 58, clone3: 435 };
const AARCH64 = { socket: 198, clone: 220, clone3: 435 };

type Target = string;
type Instruction =
  | { op: 'load'; offset: number }
  | { op: 'jump'; code: number; k: number; ifTrue: Target; ifFalse: Target }
  | { op: 'ret'; value: number }
  | { op: 'label'; name: string };

/** The policy, readable top to bottom; labels are resolved to relative jumps by `assemble`. */
function sandboxProgram(blockProcesses: boolean): Instruction[] {
  const jeq = (k: number, ifTrue: Target, ifFalse: Target): Instruction => ({ op: 'jump', code: BPF_JMP_JEQ_K, k, ifTrue, ifFalse });
  const label = (name: string): Instruction => ({ op: 'label', name });
  const processChecks = (prefix: string, numbers: { fork?: number; vfork?: number; clone: number; clone3: number }): Instruction[] =>
    blockProcesses
      ? [
          ...(numbers.fork === undefined ? [] : [jeq(numbers.fork, 'eperm', `${prefix}_vfork`), label(`${prefix}_vfork`)]),
          ...(numbers.vfork === undefined ? [] : [jeq(numbers.vfork, 'eperm', `${prefix}_clone3`), label(`${prefix}_clone3`)]),
          jeq(numbers.clone3, 'enosys', `${prefix}_clone`),
          label(`${prefix}_clone`),
          jeq(numbers.clone, 'clone_flags', 'allow'),
        ]
      : [{ op: 'jump', code: BPF_JMP_JEQ_K, k: 0xffffffff, ifTrue: 'allow', ifFalse: 'allow' }];
  return [
    { op: 'load', offset: OFFSET_ARCH },
    jeq(AUDIT_ARCH_X86_64, 'x86_64', 'not_x86_64'),

    label('x86_64'),
    { op: 'load', offset: OFFSET_NR },
    { op: 'jump', code: BPF_JMP_JGE_K, k: X32_SYSCALL_BIT, ifTrue: 'kill', ifFalse: 'x86_64_native' },
    label('x86_64_native'),
    jeq(X86_64.socket, 'socket_domain', 'x86_64_processes'),
    label('x86_64_processes'),
    ...processChecks('x86_64', X86_64),

    label('not_x86_64'),
    // Any other ABI (i386 via int 0x80, arm32 compat, ...) has its own syscall numbers: refuse to run it at all.
    jeq(AUDIT_ARCH_AARCH64, 'aarch64', 'kill'),

    label('aarch64'),
    { op: 'load', offset: OFFSET_NR },
    jeq(AARCH64.socket, 'socket_domain', 'aarch64_processes'),
    label('aarch64_processes'),
    ...processChecks('aarch64', AARCH64),

    label('socket_domain'),
    { op: 'load', offset: OFFSET_ARG0_LOW },
    jeq(AF_UNIX, 'eperm', 'allow'),

    // clone(2) creates a thread only when CLONE_THREAD is set; anything else is a new process.
    label('clone_flags'),
    { op: 'load', offset: OFFSET_ARG0_LOW },
    { op: 'jump', code: BPF_JMP_JSET_K, k: CLONE_THREAD, ifTrue: 'allow', ifFalse: 'eperm' },

    label('allow'),
    { op: 'ret', value: SECCOMP_RET_ALLOW },
    label('eperm'),
    { op: 'ret', value: SECCOMP_RET_ERRNO | EPERM },
    // ENOSYS (not EPERM) for clone3 so that glibc falls back to clone(2), where the CLONE_THREAD check can see the flags.
    label('enosys'),
    { op: 'ret', value: SECCOMP_RET_ERRNO | ENOSYS },
    label('kill'),
    { op: 'ret', value: SECCOMP_RET_KILL_PROCESS },
  ];
}

const SOCK_FILTER_BYTES = 8;

function assemble(program: readonly Instruction[]): Buffer {
  const labels = new Map<string, number>();
  let index = 0;
  for (const instruction of program) {
    if (instruction.op === 'label') labels.set(instruction.name, index);
    else index += 1;
  }
  const out = Buffer.alloc(index * SOCK_FILTER_BYTES);
  const write = (at: number, code: number, jt: number, jf: number, k: number): void => {
    const base = at * SOCK_FILTER_BYTES;
    out.writeUInt16LE(code, base);
    out.writeUInt8(jt, base + 2);
    out.writeUInt8(jf, base + 3);
    out.writeUInt32LE(k >>> 0, base + 4);
  };
  const relative = (from: number, target: Target): number => {
    const to = labels.get(target);
    if (to === undefined) throw new Error(`seccomp program: unknown label ${target}`);
    const offset = to - from - 1;
    if (offset < 0 || offset > 255) throw new Error(`seccomp program: jump to ${target} out of range`);
    return offset;
  };
  index = 0;
  for (const instruction of program) {
    switch (instruction.op) {
      case 'label':
        continue;
      case 'load':
        write(index, BPF_LD_W_ABS, 0, 0, instruction.offset);
        break;
      case 'jump':
        write(index, instruction.code, relative(index, instruction.ifTrue), relative(index, instruction.ifFalse), instruction.k);
        break;
      case 'ret':
        write(index, BPF_RET_K, 0, 0, instruction.value);
        break;
    }
    index += 1;
  }
  return out;
}

const cachedFilters = new Map<boolean, Buffer>();

/** The filter as bytes ready to be fed to `bwrap --seccomp FD` or the in-sandbox installer. */
export function sandboxSeccompFilter(options: { blockProcesses: boolean }): Buffer {
  let filter = cachedFilters.get(options.blockProcesses);
  if (!filter) {
    filter = assemble(sandboxProgram(options.blockProcesses));
    cachedFilters.set(options.blockProcesses, filter);
  }
  return filter;
}

/** The filter that also refuses process creation (the default for candidate code). */
export function noForkSeccompFilter(): Buffer {
  return sandboxSeccompFilter({ blockProcesses: true });
}

/** True when the filter knows this machine's syscall numbers (elsewhere it would kill every syscall). */
export function seccompFilterSupportsHost(): boolean {
  return process.arch === 'x64' || process.arch === 'arm64';
}
