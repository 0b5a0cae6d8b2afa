#!/usr/bin/env bash
# Builds the self-test programs (laid out as the runner lays them out, README.md "How a program becomes an
# executable"), runs every harness mode on them, prints each result.json and checks it against the runner's schemas
# (validate.mjs; needs out/, i.e. `npx tsc -p .`, and node_modules/zod). The mocha suite runs it: test/unit/nativeHarness.test.ts.
#
#   ./run.sh            # build into a temporary directory, run everything
#   CXX=clang++ CC=clang ./run.sh
#   KEEP=1 ./run.sh     # keep the output directory
#   JOBS=1 ./run.sh     # one thing at a time (default: as many as `nproc`)
#
# Every compile, link and check is queued: it runs in the background, up to $JOBS at once, with its output in a log of
# its own, and the logs are printed in the order the script lists them, so the output reads as a sequential run's.
# (One after another, the compiles took two thirds of the self-test's three to four minutes on a busy 2-core machine.)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=$(dirname "$here")
out=$(mktemp -d /tmp/perfloop-native-selftest.XXXXXX)
CXX=${CXX:-g++}
CC=${CC:-gcc}
WARN="-Wall -Wextra -Werror"
DEBUG="-g"
# valgrind 3.19 cannot read clang 14's default DWARF 5 ("Possibly corrupted debuginfo file"): count mode needs DWARF 4.
case "$("$CXX" --version)" in *clang*) DEBUG="-g -gdwarf-4" ;; esac
CXXFLAGS="-std=c++17 -O2 $DEBUG $WARN"
CFLAGS="-std=c11 -O2 $DEBUG -Wall -Wextra -Werror"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS='detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:allocator_may_return_null=1:detect_stack_use_after_return=0'
export UBSAN_OPTIONS='halt_on_error=1:print_stacktrace=1:exitcode=87'
JOBS=${JOBS:-$(nproc 2> /dev/null || getconf _NPROCESSORS_ONLN)}
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$out"; else echo "output kept in $out"; fi; }
trap cleanup EXIT
mkdir "$out/logs"
: > "$out/failures"  # one line per failure: queued commands run in subshells, which cannot count in a variable

die() { echo "FAIL: $*"; echo "$*" >> "$out/failures"; }
queued=0  # logs $out/logs/0000… handed out so far
shown=0   # logs printed so far
next_log() { printf -v log '%s/logs/%04d' "$out" "$queued"; queued=$((queued + 1)); }
# queue <command...>: runs it in the background once fewer than $JOBS queued commands are running, output to its log.
queue() {
  next_log
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; show_logs; done
  { "$@"; : > "$log.done"; } > "$log" 2>&1 &
}
# Prints the logs of the commands that have finished, in order, up to the first one still running.
show_logs() {
  local log
  while printf -v log '%s/logs/%04d' "$out" "$shown" && [ -e "$log.done" ]; do cat "$log"; shown=$((shown + 1)); done
}
finish() { wait; show_logs; }  # waits for everything queued so far
step() { next_log; printf '\n### %s\n' "$*" > "$log"; : > "$log.done"; }

compile() { queue compile_now "$@"; }
compile_now() {  # compile_now <output> <compiler> <flags...> <source>
  local target=$1
  shift
  if ! "$@" -o "$target" 2> "$target.log"; then
    cat "$target.log"
    die "compile of $target"
    return 1
  fi
  if [ -s "$target.log" ]; then cat "$target.log"; die "warnings compiling $target"; fi
}

link() { queue link_now "$@"; }
link_now() { local exe=$1; shift; "$CXX" -o "$exe" "$@" -lm || die "link $exe"; }

step "build ($CXX, $CC) into $out, $JOBS at a time"
cd "$out"
# Sanitizer build: every object with the sanitizers, no perfloop_alloc.o. Queued first: its harness unit is the longest
# compile (three times a plain one), and a build that ended on it would wait for it alone.
compile dups.harness.san.o "$CXX" $CXXFLAGS $SAN -I"$harness" -I"$here" -c "$here/dups_harness.cpp"
for side in original fast overflow; do compile "dups_$side.san.o" "$CXX" $CXXFLAGS $SAN -c "$here/dups_$side.cpp"; done
# The header's value machinery on its own (unit.cpp: no harness job), built and run.
unit_test() {  # unit_test <exe> <description> [flags]...
  compile_now "$1" "$CXX" $CXXFLAGS "${@:3}" -DPERFLOOP_HARNESS_NO_STARTUP -I"$harness" "$here/unit.cpp" && "./$1" || die "$2"
}
queue unit_test unit "unit test"
queue unit_test unit_fastmath "unit test (-ffast-math)" -ffast-math
compile alloc.o "$CXX" -std=gnu++17 -O2 $WARN -c "$harness/perfloop_alloc.cpp"
for target in dups clamp buffer centroid sum skip; do
  compile "$target.harness.o" "$CXX" $CXXFLAGS -I"$harness" -I"$here" -c "$here/${target}_harness.cpp"
done
for side in original fast offbyone print throw overflow; do
  compile "dups_$side.o" "$CXX" $CXXFLAGS -c "$here/dups_$side.cpp"
done
for source in clamp_original clamp_wrong buffer_original skip_original skip_tabs probe; do compile "$source.o" "$CXX" $CXXFLAGS -c "$here/$source.cpp"; done
for source in sum_original sum_fast centroid_original centroid_fast; do compile "$source.o" "$CC" $CFLAGS -c "$here/$source.c"; done
# Other dialects and flags the harness translation unit must accept.
compile dups.noexc.o "$CXX" -std=gnu++17 -O2 -g $WARN -fno-exceptions -fno-rtti -I"$harness" -I"$here" -c "$here/dups_harness.cpp"
compile dups.cxx20.o "$CXX" -std=c++20 -O2 -g $WARN -Wpedantic -I"$harness" -I"$here" -c "$here/dups_harness.cpp"
compile dups.O0.o "$CXX" -std=c++17 -O0 -g $WARN -I"$harness" -I"$here" -c "$here/dups_harness.cpp"
# Types the harness cannot handle must fail to compile, with a message that says what to do.
expect_rejection() {  # expect_rejection <source> <message>
  local source=$1 message=$2
  if "$CXX" $CXXFLAGS -I"$harness" -c "$here/$source.cpp" -o "$source.o" 2> "$source.log"; then
    die "$source compiled"
  elif grep -q "$message" "$source.log"; then
    echo "$source: rejected: $(grep -m1 -o "Perfloop[^\"]*$message[^\"]*" "$source.log" | head -c 300)"
  else
    head -20 "$source.log"
    die "$source: no clear message"
  fi
}
queue expect_rejection reject_pointer "functions returning pointers are not supported"
queue expect_rejection reject_incomparable "public data members (an aggregate) or an operator<<"
finish
link dups_alone dups.harness.o dups_original.o
for side in fast offbyone print throw; do link "dups_$side" dups.harness.o dups_original.o "dups_$side.o"; done
link clamp_wrong clamp.harness.o clamp_original.o clamp_wrong.o
link clamp_alone clamp.harness.o clamp_original.o
link buffer_memory buffer.harness.o buffer_original.o alloc.o
link buffer_plain buffer.harness.o buffer_original.o
link sum_fast sum.harness.o sum_original.o sum_fast.o
link sum_alone sum.harness.o sum_original.o
link centroid_fast centroid.harness.o centroid_original.o centroid_fast.o
link centroid_alone centroid.harness.o centroid_original.o
link dups_alone_san $SAN dups.harness.san.o dups_original.san.o
link dups_fast_san $SAN dups.harness.san.o dups_original.san.o dups_fast.san.o
link dups_overflow_san $SAN dups.harness.san.o dups_original.san.o dups_overflow.san.o
link dups_noexc dups.noexc.o dups_original.o dups_fast.o
link skip_tabs skip.harness.o skip_original.o skip_tabs.o
link skip_alone skip.harness.o skip_original.o
link dups_probe dups.harness.o dups_original.o probe.o
finish
build_seconds=$SECONDS

# run <name> <exe> <mode> [key value]... -- [expectation]...
run() { queue run_now "$@"; }
run_now() {
  local name=$1 exe=$2 mode=$3
  shift 3
  local dir="$out/run-$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  {
    echo "mode $mode"
    echo "nonce nonce-$name"
    echo "resultPath $dir/result.json"
    echo "progressPath $dir/progress.json"
    echo "floatTolerance 1e-7"
    echo "sizedN 0"
    echo "perfCallSeconds 0.005"
    echo "maxSizedN 65536"
    echo "mutatesArguments 0"
    echo "samples 10"
    echo "sampleSeconds 0.02"
    echo "calls 1"
    echo "maxPoints 6"
    echo "maxSecondsPerCall 1"
    echo "complexityStartSize 8"
    echo "budgetSeconds 20"
    echo "profileSeconds 1"
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
      echo "$1 $2"
      shift 2
    done
  } > "$dir/job.txt"
  [ $# -gt 0 ] && shift
  (cd "$dir" && exec "$out/$exe" "$dir/job.txt" > "$dir/stdout.txt" 2> "$dir/stderr.txt")
  local code=$?
  echo "--- $name: $exe, $mode: exit $code"
  [ -e "$dir/job.txt" ] && die "$name: the job file was not deleted"
  ls -A "$dir" | grep -q perfloop-stdout && die "$name: a stdout capture file was left behind"
  if [ -s "$dir/stdout.txt" ]; then echo "  (program stdout: $(head -c 200 "$dir/stdout.txt" | tr '\n' '|'))"; fi
  if [ -f "$dir/result.json" ]; then
    cut -c1-1500 "$dir/result.json"
    echo
    node "$here/validate.mjs" "$dir/result.json" "$mode" "nonce-$name" "$@" || die "$name"
  else
    echo "  no result.json; stderr:"
    head -c 1500 "$dir/stderr.txt"
  fi
  return 0
}

step "workload"
run workload-dups dups_alone workload -- 'data.correctnessCount === 6' 'data.performanceCount === 1' 'data.sizeable' \
  'r.sizedN >= 8' 'data.examples[0] === "({3, 1, 2, 3, 1})"' '!data.originalMutatesArguments' 'data.originalRaisedOn === 0'
run workload-dups-fixed dups_alone workload sizedN 1000 -- 'r.sizedN === 1000'
run workload-clamp clamp_alone workload -- 'data.originalMutatesArguments' 'data.performanceCount === 1' 'r.sizedN === null'
run workload-sum sum_alone workload sizedN 4096 -- 'data.examples[0] === "({1, 2, 3}, 3)"' 'r.sizedN === 4096'

# judged <name> <original exe> <candidate exe> <float tolerance> [key value]... -- [verdict expectation]...
# Each executable's outcomes in a process of its own, then the verdict Perfloop would give (judge.mjs).
judged() { queue judged_now "$@"; }
judged_now() {
  local name=$1 original=$2 candidate=$3 tolerance=$4
  shift 4
  local pairs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do pairs+=("$1" "$2"); shift 2; done
  [ $# -gt 0 ] && shift
  run_now "$name-original" "$original" outcomes side original "${pairs[@]}" --
  run_now "$name-candidate" "$candidate" outcomes side candidate "${pairs[@]}" --
  echo "--- $name: $original vs $candidate"
  node "$here/judge.mjs" "$out/run-$name-original/result.json" "$out/run-$name-candidate/result.json" "$tolerance" "$@" || die "$name"
}

# timed <name> <original exe> <candidate exe> [key value]... -- [timing expectation]...
# Both serve-mode workers driven by Perfloop's coordinator (serve.mjs). Timings share the machine with the other checks
# (as they would on a busy one): both sides are pinned to one CPU, and the expectations leave wide margins.
timed() { queue timed_now "$@"; }
timed_now() {
  local name=$1 original=$2 candidate=$3
  shift 3
  echo "--- $name: $original vs $candidate, serve"
  rm -rf "$out/serve-$name"
  node "$here/serve.mjs" "$out/serve-$name" "$out/$original" "$out/$candidate" "$@" || die "$name"
}

step "outcomes (one program per process; the verdict is Perfloop's)"
outcomes_dups() {
  run_now outcomes-dups dups_fast outcomes side candidate sizedN 500 -- 'data.outcomes.length === 7' 'data.outcomes[6].set === "performance"' \
    'data.outcomes[0].value === "{\"t\":\"seq\",\"c\":\"std::vector\",\"i\":[3,1]}"' 'data.outcomes[0].valueRepr === "{3, 1}"' \
    'data.outcomes[0].args === "{\"t\":\"seq\",\"c\":\"arguments\",\"i\":[null]}"' 'data.inputsDigest.length === 64'
  grep -q '"side":"candidate"' "$out/run-outcomes-dups/progress.json" || die "outcomes: progress does not name the side"
}
queue outcomes_dups
judged fast dups_alone dups_fast 1e-7 sizedN 500 -- 'v.status === "equivalent"' 'v.inputsChecked === 7'
judged offbyone dups_alone dups_offbyone 1e-7 sizedN 500 -- 'v.status === "different"' 'v.counterexample.kind === "return"' \
  'v.counterexample.input === "({1, 2, 1})"' 'v.counterexample.expected === "returned {1}"' \
  'v.counterexample.actual === "returned {}; first difference: result: length 1 vs 0"'
judged print dups_alone dups_print 1e-7 sizedN 500 -- 'v.status === "different"' 'v.counterexample.kind === "stdout"' \
  'v.counterexample.input === "({})"' 'v.counterexample.actual === "printed \"debug: 0 values\\nfound 0\\n\""'
judged throw dups_alone dups_throw 1e-7 sizedN 500 -- 'v.status === "different"' 'v.counterexample.kind === "exception"' \
  'v.counterexample.actual.startsWith("raised std::out_of_range")' 'v.counterexample.expected === "returned {}"' 'v.mismatches === 1'
judged mutation clamp_alone clamp_wrong 1e-7 -- 'v.status === "different"' 'v.counterexample.kind === "mutation"' \
  'v.counterexample.expected === "arguments after the call: ({2, 5, 8}, 2, 8)"'
judged c-string skip_alone skip_tabs 1e-7 -- 'v.status === "different"' 'v.counterexample.kind === "return"' \
  'v.counterexample.input === "(\" \\tindented\")"' 'v.counterexample.expected === "returned \"\\tindented\""' \
  'v.counterexample.actual.startsWith("returned \"indented\"; first difference: result: \"\\tindented\" vs \"indented\"")'
judged c-sum sum_alone sum_fast 1e-7 sizedN 1000 -- 'v.status === "equivalent"'
judged c-struct centroid_alone centroid_fast 1e-7 -- 'v.status === "equivalent"' 'v.inputsChecked === 4'
judged c-struct-strict centroid_alone centroid_fast 0 -- 'v.status === "different"' 'v.counterexample.kind === "return"' \
  'v.counterexample.expected === "returned Point{560252773.1897533, 2.0}"' 'v.counterexample.actual.includes("first difference: result.0: ")'
# A limit per input: the call past it ends the report there, as a timeout (written by the SIGALRM handler).
run outcomes-limit dups_alone outcomes side candidate sizedN 40000 limits 5,5,5,5,5,5,0.001 -- 'data.outcomes.length === 7' \
  'data.outcomes[6].status === "timeout"' 'data.outcomes[5].status === "returned"'

step "serve (the faster candidate must come out faster; results and caching checked by the coordinator)"
timed dups dups_alone dups_fast sizedN 2000 -- 't.original.length === 10' 'median(t.candidate) * 3 < median(t.original)' \
  't.timer.includes("std::chrono::steady_clock")' 't.rejection === undefined' 't.integrity.resultChecks >= 2' 't.integrity.freshPasses !== undefined'
# (no speed expectation: clang vectorises the original's plain loop, and may beat the hand-unrolled candidate)
timed sum sum_alone sum_fast sizedN 65536 -- 't.original.length === 10 && t.candidate.length === 10' 't.rejection === undefined'
timed mutating clamp_alone clamp_alone mutatesArguments 1 -- 't.original.length === 10' 't.loopsPerSample >= 1' 't.rejection === undefined'
timed mutating-wrong clamp_alone clamp_wrong mutatesArguments 1 -- 't.rejection.includes("differs from the original")'

step "count (deterministic: two runs under cachegrind agree)"
count_is_deterministic() {
  if ! command -v valgrind > /dev/null; then echo "valgrind not found: skipped"; return; fi
  local counts=() calls dir refs
  for calls in 1 1 0; do
    run_now "count-$calls-${#counts[@]}" sum_alone count sizedN 10000 calls $calls -- "data.calls === $calls" 'data.raised === 0' 'r.sizedN === 10000' > /dev/null
    dir="$out/run-count-$calls-${#counts[@]}"
    (cd "$dir" && rm -f result.json && printf 'mode count\nnonce nonce-x\nresultPath %s/result.json\nprogressPath %s/progress.json\nsizedN 10000\ncalls %s\n' "$dir" "$dir" "$calls" > job.txt &&
      valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$out/sum_alone" job.txt > /dev/null 2> valgrind.txt)
    refs=$(grep -m1 'I *refs:' "$dir/valgrind.txt" | sed 's/.*refs: *//; s/,//g')
    echo "  calls=$calls: I refs = $refs"
    counts+=("$refs")
  done
  if [ "${counts[0]}" = "${counts[1]}" ] && [ -n "${counts[0]}" ]; then
    echo "  identical counts; one call of sum on 10000 ints = $((counts[0] - counts[2])) instructions"
  else
    die "count: two runs differ (${counts[0]} vs ${counts[1]})"
  fi
}
queue count_is_deterministic
run count-raise dups_throw count sizedN 100 -- 'data.calls === 1' 'data.raised === 0'

step "memory"
run memory-buffer buffer_memory memory -- 'data.peakBytes >= 1048576 && data.peakBytes < 1048576 * 1.1' 'data.maxRssBytes > 1048576'
run memory-untracked buffer_plain memory -- 'data.peakBytes === 0'
run memory-dups dups_alone memory sizedN 1000 -- 'data.peakBytes === 0'

step "complexity"
run complexity-dups dups_alone complexity complexityStartSize 64 maxPoints 6 -- 'data.points.length === 6' \
  'data.points.length === 6 && data.points.every((p) => p.seconds >= 50e-6)' 'data.points[5].seconds > data.points[0].seconds * 50' 'r.sizedN === null'
run complexity-none clamp_alone complexity -- 'data.points.length === 0'

step "other builds"
judged noexc dups_alone dups_noexc 1e-7 sizedN 500 -- 'v.status === "equivalent"'
job_file_gone() {
  run_now probe dups_probe workload sizedN 100 -- 'r.ok'
  grep -q 'probe: the job file is gone' "$out/run-probe/stderr.txt" || die "a user static initialiser saw the job file"
}
queue job_file_gone

step "errors"
bad_workload() { local -x PERFLOOP_SELFTEST_BAD_WORKLOAD=$1; shift; run_now "$@"; }  # dups.perfloop.cpp reads it
queue bad_workload throw bad-throws dups_alone workload -- '!r.ok' 'r.error.kind === "workload"' 'r.error.message.includes("std::runtime_error: no inputs today")'
queue bad_workload empty bad-empty dups_alone workload -- '!r.ok' 'r.error.kind === "workload"' 'r.error.message.includes("added no inputs")'
bad_job_files() {
  local code
  (cd "$out" && ./dups_alone /nonexistent/job.txt > /dev/null 2> missing.txt)
  code=$?
  echo "--- missing job file: exit $code: $(cat "$out/missing.txt")"
  [ $code -eq 3 ] || die "missing job: exit $code, wanted 3"
  printf 'mode nonsense\nnonce x\nresultPath %s/r.json\n' "$out" > "$out/bad-job.txt"
  (cd "$out" && ./dups_alone "$out/bad-job.txt" > /dev/null 2> bad.txt)
  code=$?
  echo "--- invalid job: exit $code: $(cat "$out/bad.txt")"
  [ $code -eq 3 ] || die "invalid job: exit $code, wanted 3"
}
queue bad_job_files

step "sanitizers (-fsanitize=address,undefined)"
judged san-fast dups_alone_san dups_fast_san 1e-7 sizedN 500 -- 'v.status === "equivalent"'
timed san dups_alone_san dups_fast_san sizedN 500 samples 3 -- 't.candidate.length === 3'
run san-memory dups_fast_san memory sizedN 500 -- 'data.peakBytes === 0'
overflow_is_reported() {
  run_now san-overflow dups_overflow_san outcomes side candidate sizedN 500
  local dir="$out/run-san-overflow" code
  code=$(cd "$dir" && printf 'mode outcomes\nside candidate\nnonce x\nresultPath %s/result.json\nprogressPath %s/progress.json\nsizedN 500\n' "$dir" "$dir" > job.txt && "$out/dups_overflow_san" job.txt > /dev/null 2> stderr.txt; echo $?)
  echo "  exit $code; progress: $(cat "$dir/progress.json")"
  grep -m1 'ERROR: AddressSanitizer' "$dir/stderr.txt" || die "no AddressSanitizer report"
  [ -f "$dir/result.json" ] && die "a result was written after the overflow"
  grep -q '"side":"candidate"' "$dir/progress.json" || die "progress does not name the candidate"
  # GCC: ASAN_OPTIONS' exitcode (86). Clang: ASan and UBSan share one runtime and its common flags; UBSAN_OPTIONS,
  # parsed last, wins (87). The runner should tell reports apart by stderr, not by exit code.
  [ "$code" = 86 ] || [ "$code" = 87 ] || die "exit $code, wanted a sanitizer exitcode (86 or 87)"
}
queue overflow_is_reported
finish

failures=$(wc -l < "$out/failures")
echo
echo "build ${build_seconds} s, checks $((SECONDS - build_seconds)) s ($JOBS at a time)"
if [ "$failures" -eq 0 ]; then echo "ALL SELF-TESTS PASSED"; else echo "$failures FAILURE(S)"; fi
exit $((failures > 0))
