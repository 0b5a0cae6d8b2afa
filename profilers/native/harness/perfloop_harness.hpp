// The C/C++ harness of Perfloop: a header-only library included by one generated translation unit per harness
// executable (see ../README.md, "How a program becomes an executable"). A port of the JavaScript harness
// (../../javascript/harness/*.mjs): the same modes, the same semantics, the same result data
// (../../harnessProtocol.ts). One program per process: the original's executable and each candidate's run apart, and
// Perfloop compares what they report (`outcomes` mode, values as snapshots: perfloop_snapshot.hpp) and drives their
// timing (`serve` mode) from its own process.
//
//   <exe> <job file>
//
// The job file (`key value` lines) is read and deleted by a constructor(101) function, before any user static
// initialiser runs; the nonce stays in memory only. The result goes to `resultPath` (JSON; never stdout, which is the
// program's), and before every call `progressPath` says which side is running on which input, so the runner can tell
// who was running when the process died.
//
// Exit codes: 0 = a result was written (ok or not); 3 = no usable job (message on stderr); 4 = the result file could
// not be written (message on stderr). Anything else is the program's doing (a crash, exit(), a sanitizer).
//
// What the generated translation unit uses (everything else is perfloop::detail):
//   perfloop::InputsFor<Fn>   the workload's `perfloop::Inputs` (the TU declares the alias): in.add(Storage<P>...),
//                             one argument per parameter, braced lists work; in.size()
//   perfloop::Generators<Fn>{correctness_inputs, performance_inputs or nullptr, sized_input or nullptr}
//   perfloop::run<Fn>(argc, argv, program, generators)   writes the result, then _exit(0) (serve: answers, then _exit(0))
//   perfloop::runMadeApart<Fn>(argc, argv, program)     the same for a side's executable built without the generator:
//                             the inputs come from the job's inputsFile, which an `inputs` run wrote (perfloop_transfer.hpp)
//   perfloop::Storage<P>, perfloop::pass<P>(storage&), perfloop::equal(a, b, tolerance), perfloop::repr(value, limit)
// Memory mode: link perfloop_alloc.cpp too (never into sanitizer builds).
//
// The header is included after the user's own macros (C code often has `#define N 100`): it avoids single-letter and
// ALL-CAPS identifiers and calls (std::min) / (std::max) in parentheses.
#ifndef PERFLOOP_HARNESS_HPP
#define PERFLOOP_HARNESS_HPP

#if __cplusplus < 201703L
#error "perfloop_harness.hpp needs C++17 or later (-std=c++17 or -std=gnu++17)"
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>
#if __has_include(<charconv>)
#include <charconv>
#endif

#include <cxxabi.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define PERFLOOP_EXCEPTIONS 1
#else
#define PERFLOOP_EXCEPTIONS 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define PERFLOOP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PERFLOOP_ASAN 1
#endif
#endif
#ifndef PERFLOOP_ASAN
#define PERFLOOP_ASAN 0
#endif

// The allocation tracker of perfloop_alloc.cpp (linked into memory-mode executables only): weak, so every other
// executable links without it and sees null addresses.
extern "C" {
__attribute__((weak)) long long perfloop_alloc_current(void);
__attribute__((weak)) long long perfloop_alloc_peak(void);
__attribute__((weak)) void perfloop_alloc_reset_peak(void);
}

namespace perfloop {
namespace detail {

// ---- the job ---------------------------------------------------------------------------------------------------

// Plain data only: it is filled by a constructor(101) function, before this translation unit's dynamic initialisers
// would run (a std::string here would be re-initialised, and lose its value, after the job was read).
struct Job {
  bool loaded;
  char* text;
  const char* mode;
  const char* nonce;
  const char* resultPath;
  const char* progressPath;
  double floatTolerance;
  unsigned long long sizedN;
  double perfCallSeconds;
  unsigned long long maxSizedN;
  bool mutatesArguments;
  unsigned long long samples;
  double sampleSeconds;
  unsigned long long calls;
  /** count mode: serialise each counted call's result after the calls (profilers/counters/countedCalls.ts). */
  bool results;
  unsigned long long maxPoints;
  double maxSecondsPerCall;
  unsigned long long complexityStartSize;
  double budgetSeconds;
  /** outcomes and serve modes: which side the one program is (progress reports name it). */
  const char* side;
  /** outcomes mode: per-input time limits in seconds, comma-separated (the candidate's), or null. */
  const char* limits;
  /** Seeds rand() before each call, so that functions drawing from it see the same stream on both sides. */
  unsigned long long seed;
  /** inputs mode: where to write the inputs; a side's executable built without the generator: where to read them. */
  const char* inputsFile;
  /** workload mode: the generator's inputs are to be made apart: say whether they can be data (generatorBesideCode). */
  bool inputsApart;
};

inline Job gJob;

inline void writeStderr(const char* text) {
  std::size_t length = std::strlen(text);
  while (length > 0) {
    ssize_t written = ::write(2, text, length);
    if (written <= 0) {
      if (written < 0 && errno == EINTR) continue;
      return;
    }
    text += written;
    length -= static_cast<std::size_t>(written);
  }
}

[[noreturn]] inline void jobError(const char* message, const char* detail = "") {
  writeStderr("perfloop harness: ");
  writeStderr(message);
  writeStderr(detail);
  writeStderr("\n");
  ::_exit(3);
}

inline const char* const kModes[] = {"workload", "outcomes", "serve", "count", "memory", "complexity", "inputs"};

/** NaN and infinity from the bits for float and double: -ffast-math (which the user's flags may bring) folds
 * `x != x` and std::isnan to false. */
template <class Fl>
int floatClass(Fl value) {  // 0 finite, 1 infinite, 2 NaN
  if constexpr (std::is_same_v<Fl, double> && sizeof(double) == sizeof(std::uint64_t)) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7ff0000000000000ull) != 0x7ff0000000000000ull) return 0;
    return (bits & 0x000fffffffffffffull) != 0 ? 2 : 1;
  } else if constexpr (std::is_same_v<Fl, float> && sizeof(float) == sizeof(std::uint32_t)) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7f800000u) != 0x7f800000u) return 0;
    return (bits & 0x007fffffu) != 0 ? 2 : 1;
  } else {
    return std::isnan(value) ? 2 : std::isinf(value) ? 1 : 0;
  }
}

/** The sign bit, read from the bits (-ffast-math implies -fno-signed-zeros, which folds std::signbit of a zero). */
template <class Fl>
bool signBit(Fl value) {
  if constexpr (std::is_same_v<Fl, double> && sizeof(double) == sizeof(std::uint64_t)) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits >> 63) != 0;
  } else if constexpr (std::is_same_v<Fl, float> && sizeof(float) == sizeof(std::uint32_t)) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits >> 31) != 0;
  } else {
    return std::signbit(value);
  }
}

inline bool parseJobDouble(const char* text, double& out) {
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || floatClass(value) != 0) return false;
  out = value;
  return true;
}

inline bool parseJobUnsigned(const char* text, unsigned long long& out) {
  const char* start = text;
  while (*start == ' ') start++;
  if (*start == '-' || *start == '\0') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(start, &end, 10);
  if (end == start || errno == ERANGE) return false;
  if (*end != '\0') {
    // A number written as a float (e.g. 1e6) is accepted when it is a whole number.
    double asDouble = 0;
    if (!parseJobDouble(start, asDouble) || asDouble < 0 || asDouble != std::floor(asDouble) || asDouble > 1.8e19) return false;
    value = static_cast<unsigned long long>(asDouble);
  }
  out = value;
  return true;
}

inline bool parseJobBool(const char* text, bool& out) {
  if (std::strcmp(text, "1") == 0 || std::strcmp(text, "true") == 0) out = true;
  else if (std::strcmp(text, "0") == 0 || std::strcmp(text, "false") == 0) out = false;
  else return false;
  return true;
}

/** Reads and deletes the job file. Runs before main (see perfloopReadJobBeforeStaticInitialisers); idempotent. */
inline void loadJob(int argc, char** argv) {
  Job& job = gJob;
  if (job.loaded) return;
  job.loaded = true;
  if (argc < 2 || argv == nullptr || argv[1] == nullptr) jobError("usage: <harness executable> <job file>");
  const char* path = argv[1];
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) jobError("cannot open the job file ", path);
  std::size_t capacity = 4096, length = 0;
  char* text = static_cast<char*>(std::malloc(capacity + 1));
  if (text == nullptr) jobError("out of memory reading the job file");
  for (;;) {
    if (length == capacity) {
      capacity *= 2;
      char* grown = static_cast<char*>(std::realloc(text, capacity + 1));
      if (grown == nullptr) jobError("out of memory reading the job file");
      text = grown;
    }
    ssize_t got = ::read(fd, text + length, capacity - length);
    if (got < 0) {
      if (errno == EINTR) continue;
      jobError("cannot read the job file ", path);
    }
    if (got == 0) break;
    length += static_cast<std::size_t>(got);
  }
  ::close(fd);
  text[length] = '\0';
  // The nonce must not be readable by the program under test: the file goes before any user code runs.
  if (::unlink(path) != 0) jobError("cannot delete the job file ", path);
  job.text = text;

  job.mode = job.nonce = job.resultPath = job.progressPath = job.side = job.limits = job.inputsFile = nullptr;
  job.inputsApart = false;
  job.seed = 1729;
  job.floatTolerance = 1e-7;
  job.sizedN = 0;
  job.perfCallSeconds = 0.03;
  job.maxSizedN = 1ull << 20;
  job.mutatesArguments = false;
  job.samples = 0;
  job.sampleSeconds = 0.05;
  job.calls = 1;
  job.results = false;
  job.maxPoints = 0;
  job.maxSecondsPerCall = 1;
  job.complexityStartSize = 8;
  job.budgetSeconds = 10;

  for (char* line = text; *line != '\0';) {
    char* next = std::strchr(line, '\n');
    if (next != nullptr) *next++ = '\0';
    else next = line + std::strlen(line);
    std::size_t lineLength = std::strlen(line);
    if (lineLength > 0 && line[lineLength - 1] == '\r') line[--lineLength] = '\0';
    char* value = std::strchr(line, ' ');
    if (value != nullptr) *value++ = '\0';
    else value = line + lineLength;
    const char* key = line;
    bool good = true;
    if (*key == '\0') {
      // blank line
    } else if (std::strcmp(key, "mode") == 0) job.mode = value;
    else if (std::strcmp(key, "nonce") == 0) job.nonce = value;
    else if (std::strcmp(key, "resultPath") == 0) job.resultPath = value;
    else if (std::strcmp(key, "progressPath") == 0) job.progressPath = value;
    else if (std::strcmp(key, "floatTolerance") == 0) good = parseJobDouble(value, job.floatTolerance) && job.floatTolerance >= 0;
    else if (std::strcmp(key, "sizedN") == 0) good = parseJobUnsigned(value, job.sizedN);
    else if (std::strcmp(key, "perfCallSeconds") == 0) good = parseJobDouble(value, job.perfCallSeconds) && job.perfCallSeconds > 0;
    else if (std::strcmp(key, "maxSizedN") == 0) good = parseJobUnsigned(value, job.maxSizedN) && job.maxSizedN > 0;
    else if (std::strcmp(key, "mutatesArguments") == 0) good = parseJobBool(value, job.mutatesArguments);
    else if (std::strcmp(key, "samples") == 0) good = parseJobUnsigned(value, job.samples);
    else if (std::strcmp(key, "sampleSeconds") == 0) good = parseJobDouble(value, job.sampleSeconds) && job.sampleSeconds > 0;
    else if (std::strcmp(key, "calls") == 0) good = parseJobUnsigned(value, job.calls);
    else if (std::strcmp(key, "results") == 0) good = parseJobBool(value, job.results);
    else if (std::strcmp(key, "maxPoints") == 0) good = parseJobUnsigned(value, job.maxPoints);
    else if (std::strcmp(key, "maxSecondsPerCall") == 0) good = parseJobDouble(value, job.maxSecondsPerCall) && job.maxSecondsPerCall > 0;
    else if (std::strcmp(key, "complexityStartSize") == 0) good = parseJobUnsigned(value, job.complexityStartSize) && job.complexityStartSize > 0;
    else if (std::strcmp(key, "budgetSeconds") == 0) good = parseJobDouble(value, job.budgetSeconds) && job.budgetSeconds > 0;
    else if (std::strcmp(key, "side") == 0) {
      job.side = value;
      good = std::strcmp(value, "original") == 0 || std::strcmp(value, "candidate") == 0;
    }
    else if (std::strcmp(key, "limits") == 0) job.limits = value;
    else if (std::strcmp(key, "seed") == 0) good = parseJobUnsigned(value, job.seed);
    else if (std::strcmp(key, "inputsFile") == 0) job.inputsFile = *value != '\0' ? value : nullptr;
    else if (std::strcmp(key, "inputsApart") == 0) good = parseJobBool(value, job.inputsApart);
    // Other keys (profileSeconds, ...) are for other harnesses or later versions: ignored.
    if (!good) {
      writeStderr("perfloop harness: invalid job value for ");
      writeStderr(key);
      jobError(": ", value);
    }
    line = next;
  }
  if (job.mode == nullptr || *job.mode == '\0') jobError("the job has no mode");
  bool knownMode = false;
  for (const char* mode : kModes) knownMode = knownMode || std::strcmp(mode, job.mode) == 0;
  if (!knownMode) jobError("unknown mode in the job: ", job.mode);
  if (job.nonce == nullptr || *job.nonce == '\0') jobError("the job has no nonce");
  if (job.resultPath == nullptr || *job.resultPath == '\0') jobError("the job has no resultPath");
  if (job.progressPath != nullptr && *job.progressPath == '\0') job.progressPath = nullptr;
}

// glibc passes (argc, argv, envp) to .init_array functions. Priority 101 runs before every initialiser without a
// priority (all ordinary static objects, in any translation unit). PERFLOOP_HARNESS_NO_STARTUP (unit tests of the
// header only) leaves the job to run().
#ifndef PERFLOOP_HARNESS_NO_STARTUP
__attribute__((constructor(101))) static void perfloopReadJobBeforeStaticInitialisers(int argc, char** argv, char**) {
  loadJob(argc, argv);
}
#endif

inline bool modeIs(const char* mode) { return gJob.mode != nullptr && std::strcmp(gJob.mode, mode) == 0; }

// ---- JSON --------------------------------------------------------------------------------------------------------

/** Length of the valid UTF-8 sequence at text[i], or 0 when the bytes there are not one. */
inline std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length;
  std::uint32_t point;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, point = lead & 0x1Fu;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, point = lead & 0x0Fu;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, point = lead & 0x07u;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; k++) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    point = (point << 6) | (byte(i + k) & 0x3Fu);
  }
  if ((length == 3 && point < 0x800) || (length == 4 && point < 0x10000) || point > 0x10FFFF) return 0;
  if (point >= 0xD800 && point <= 0xDFFF) return 0;
  return length;
}

/** `text` as a JSON string: control characters escaped, bytes that are not UTF-8 replaced by U+FFFD. */
inline void appendJsonString(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c < 0x80) out += static_cast<char>(c);
    else {
      std::size_t length = utf8SequenceLength(text, i);
      if (length == 0) {
        out += "\\ufffd";
        i++;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    i++;
  }
  out += '"';
}

inline std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

/** Shortest round-tripping decimal form of a double. */
inline void appendShortestDouble(std::string& out, double value) {
  char buffer[64];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  auto done = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, done.ptr);
#else
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  out += buffer;
#endif
}

/** A JSON number; non-finite values (which JSON lacks) become null, as in JSON.stringify. */
inline void appendJsonNumber(std::string& out, double value) {
  if (floatClass(value) != 0) out += "null";
  else appendShortestDouble(out, value);
}

inline void appendJsonNumber(std::string& out, long long value) { out += std::to_string(value); }
inline void appendJsonNumber(std::string& out, unsigned long long value) { out += std::to_string(value); }
inline void appendJsonNumber(std::string& out, std::size_t value) { out += std::to_string(static_cast<unsigned long long>(value)); }

// ---- type names --------------------------------------------------------------------------------------------------

inline void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

inline std::string tidyTypeName(std::string name) {
  replaceAll(name, "std::__cxx11::", "std::");
  replaceAll(name, "std::__1::", "std::");
  replaceAll(name, "std::basic_string<char>", "std::string");
  replaceAll(name, "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string");
  replaceAll(name, "std::basic_string_view<char>", "std::string_view");
  replaceAll(name, "std::basic_string_view<char, std::char_traits<char> >", "std::string_view");
  replaceAll(name, " >", ">");
  return name;
}

/** The name of a type from __PRETTY_FUNCTION__: works without RTTI, in GCC and Clang. */
template <class Tp>
std::string typeName() {
  std::string_view pretty = __PRETTY_FUNCTION__;
  std::size_t start = pretty.find("Tp = ");
  if (start == std::string_view::npos) return "?";
  start += 5;
  int depth = 0;
  std::size_t end = start;
  for (; end < pretty.size(); end++) {
    char c = pretty[end];
    if (c == '<' || c == '(' || c == '[') depth++;
    else if ((c == '>' || c == ')' || c == ']') && depth > 0) depth--;
    else if ((c == ';' || c == ']') && depth == 0) break;
  }
  return tidyTypeName(std::string(pretty.substr(start, end - start)));
}

inline std::string demangle(const char* mangled) {
  if (mangled == nullptr) return "?";
  int status = 0;
  char* readable = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && readable != nullptr ? readable : mangled;
  std::free(readable);
  return tidyTypeName(name);
}

// ---- type traits ---------------------------------------------------------------------------------------------------

template <class...>
inline constexpr bool kDependentFalse = false;

template <class Tp> struct IsBasicString : std::false_type {};
template <class Ch, class Tr, class Al> struct IsBasicString<std::basic_string<Ch, Tr, Al>> : std::true_type {};
template <class Tp> struct IsStringView : std::false_type {};
template <class Ch, class Tr> struct IsStringView<std::basic_string_view<Ch, Tr>> : std::true_type {};
template <class Tp> struct IsPair : std::false_type {};
template <class Ta, class Tb> struct IsPair<std::pair<Ta, Tb>> : std::true_type {};
template <class Tp> struct IsTuple : std::false_type {};
template <class... Ts> struct IsTuple<std::tuple<Ts...>> : std::true_type {};
template <class Tp> struct IsOptional : std::false_type {};
template <class Tp> struct IsOptional<std::optional<Tp>> : std::true_type {};
template <class Tp> struct IsVariant : std::false_type {};
template <class... Ts> struct IsVariant<std::variant<Ts...>> : std::true_type {};
template <class Tp> struct IsComplex : std::false_type {};
template <class Tp> struct IsComplex<std::complex<Tp>> : std::true_type {};
template <class Tp> struct IsSmartPointer : std::false_type {};
template <class Tp, class Dl> struct IsSmartPointer<std::unique_ptr<Tp, Dl>> : std::true_type {};
template <class Tp> struct IsSmartPointer<std::shared_ptr<Tp>> : std::true_type {};

template <class Tp>
inline constexpr bool kIsCharLike = std::is_same_v<Tp, char> || std::is_same_v<Tp, wchar_t> || std::is_same_v<Tp, char16_t> ||
                                    std::is_same_v<Tp, char32_t>
#if defined(__cpp_char8_t)
                                    || std::is_same_v<Tp, char8_t>
#endif
    ;

/** char*, const char*, wchar_t*, ...: compared and shown as NUL-terminated strings. */
template <class Tp>
inline constexpr bool kIsCString = std::is_pointer_v<Tp> && kIsCharLike<std::remove_cv_t<std::remove_pointer_t<Tp>>>;

template <class Tp, class = void> struct IsRange : std::false_type {};
template <class Tp>
struct IsRange<Tp, std::void_t<decltype(std::begin(std::declval<const Tp&>())), decltype(std::end(std::declval<const Tp&>()))>>
    : std::true_type {};

template <class Tp, class = void> struct HasMapped : std::false_type {};
template <class Tp> struct HasMapped<Tp, std::void_t<typename Tp::mapped_type>> : std::true_type {};
template <class Tp, class = void> struct HasKey : std::false_type {};
template <class Tp> struct HasKey<Tp, std::void_t<typename Tp::key_type>> : std::true_type {};
template <class Tp, class = void> struct IsUnordered : std::false_type {};
template <class Tp>
struct IsUnordered<Tp, std::void_t<typename Tp::hasher, typename Tp::key_type, decltype(std::declval<const Tp&>().equal_range(
                                                                                      std::declval<const typename Tp::key_type&>()))>>
    : std::true_type {};
template <class Tp, class = void> struct HasSize : std::false_type {};
template <class Tp> struct HasSize<Tp, std::void_t<decltype(std::declval<const Tp&>().size())>> : std::true_type {};

template <class Tp, class = void> struct HasEquality : std::false_type {};
template <class Tp>
struct HasEquality<Tp, std::void_t<decltype(static_cast<bool>(std::declval<const Tp&>() == std::declval<const Tp&>()))>>
    : std::true_type {};
template <class Tp, class = void> struct HasLess : std::false_type {};
template <class Tp>
struct HasLess<Tp, std::void_t<decltype(static_cast<bool>(std::declval<const Tp&>() < std::declval<const Tp&>()))>> : std::true_type {};
template <class Tp, class = void> struct HasOstream : std::false_type {};
template <class Tp>
struct HasOstream<Tp, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const Tp&>())>> : std::true_type {};

// The receiver of a method target gets a field list from Perfloop (README.md, "Methods"): `Tp::perfloop_fields(a, b,
// visit)` calls visit(fieldOfA, fieldOfB) for each data member, private ones too, while visit returns true.
struct FieldPairProbe {
  template <class Ta, class Tb>
  bool operator()(const Ta&, const Tb&) const { return true; }
};
template <class Tp, class = void> struct HasPerfloopFields : std::false_type {};
template <class Tp>
struct HasPerfloopFields<Tp, std::void_t<decltype(Tp::perfloop_fields(std::declval<const Tp&>(), std::declval<const Tp&>(), FieldPairProbe{}))>>
    : std::true_type {};

// Aggregates without operator== (C structs) are compared and shown field by field: the number of fields is the largest
// number of `{any}` initialisers the aggregate accepts (braces around each, so an array member counts once), and
// structured bindings reach them.
struct AnyField {
  template <class Tp>
  operator Tp() const noexcept;
};
template <std::size_t>
using AnyFieldAt = AnyField;

template <class Tp, class Seq, class = void> struct BraceInitializable : std::false_type {};
template <class Tp, std::size_t... Is>
struct BraceInitializable<Tp, std::index_sequence<Is...>, std::void_t<decltype(Tp{{AnyFieldAt<Is>{}}...})>> : std::true_type {};

inline constexpr std::size_t kMaxFields = 16;

template <class Tp, std::size_t Count = 0>
constexpr std::size_t fieldCount() {
  if constexpr (Count > kMaxFields) return Count;
  else if constexpr (BraceInitializable<Tp, std::make_index_sequence<Count + 1>>::value) return fieldCount<Tp, Count + 1>();
  else return Count;
}

/** `Tp{{any}..., {}}` (Count initialisers, then one more): an aggregate with more fields than were counted. */
template <class Tp, class Seq, class = void> struct HasFieldAfter : std::false_type {};
template <class Tp, std::size_t... Is>
struct HasFieldAfter<Tp, std::index_sequence<Is...>, std::void_t<decltype(Tp{{AnyFieldAt<Is>{}}..., {}})>> : std::true_type {};

/**
 * Field by field: C structs, and aggregates of library types (`struct Item { std::string name; long price; }`). For the
 * latter the count must be exact: a member `{any}` cannot initialise unambiguously (std::optional) stops the count
 * early, and then a `{}` still fits after the counted ones.
 */
template <class Tp, bool Candidate = std::is_class_v<Tp> && !std::is_union_v<Tp> && std::is_aggregate_v<Tp> &&
                                     std::is_standard_layout_v<Tp> && !std::is_empty_v<Tp>>
struct IsFieldWise : std::false_type {};
template <class Tp>
struct IsFieldWise<Tp, true>
    : std::bool_constant<(fieldCount<Tp>() >= 1 && fieldCount<Tp>() <= kMaxFields &&
                          (std::is_trivially_copyable_v<Tp> || !HasFieldAfter<Tp, std::make_index_sequence<fieldCount<Tp>()>>::value))> {};

/** visit(fieldOfLeft, fieldOfRight) for each field, while it returns true. */
template <class Tp, class Visit>
bool visitFieldPairs(const Tp& left, const Tp& right, Visit&& visit) {
  constexpr std::size_t kCount = fieldCount<Tp>();
  if constexpr (kCount == 1) {
    const auto& [a1] = left;
    const auto& [b1] = right;
    return visit(a1, b1);
  } else if constexpr (kCount == 2) {
    const auto& [a1, a2] = left;
    const auto& [b1, b2] = right;
    return visit(a1, b1) && visit(a2, b2);
  } else if constexpr (kCount == 3) {
    const auto& [a1, a2, a3] = left;
    const auto& [b1, b2, b3] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3);
  } else if constexpr (kCount == 4) {
    const auto& [a1, a2, a3, a4] = left;
    const auto& [b1, b2, b3, b4] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4);
  } else if constexpr (kCount == 5) {
    const auto& [a1, a2, a3, a4, a5] = left;
    const auto& [b1, b2, b3, b4, b5] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5);
  } else if constexpr (kCount == 6) {
    const auto& [a1, a2, a3, a4, a5, a6] = left;
    const auto& [b1, b2, b3, b4, b5, b6] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6);
  } else if constexpr (kCount == 7) {
    const auto& [a1, a2, a3, a4, a5, a6, a7] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7);
  } else if constexpr (kCount == 8) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8);
  } else if constexpr (kCount == 9) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9);
  } else if constexpr (kCount == 10) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10);
  } else if constexpr (kCount == 11) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11);
  } else if constexpr (kCount == 12) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11) && visit(a12, b12);
  } else if constexpr (kCount == 13) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11) && visit(a12, b12) && visit(a13, b13);
  } else if constexpr (kCount == 14) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11) && visit(a12, b12) && visit(a13, b13) && visit(a14, b14);
  } else if constexpr (kCount == 15) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11) && visit(a12, b12) && visit(a13, b13) && visit(a14, b14) && visit(a15, b15);
  } else if constexpr (kCount == 16) {
    const auto& [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16] = left;
    const auto& [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16] = right;
    return visit(a1, b1) && visit(a2, b2) && visit(a3, b3) && visit(a4, b4) && visit(a5, b5) && visit(a6, b6) && visit(a7, b7) && visit(a8, b8) && visit(a9, b9) && visit(a10, b10) && visit(a11, b11) && visit(a12, b12) && visit(a13, b13) && visit(a14, b14) && visit(a15, b15) && visit(a16, b16);
  } else {
    return false;
  }
}

// ---- parameters: storage and passing ---------------------------------------------------------------------------------

/** The storage of a `bool*` parameter: std::vector<bool> has no data(). Layout-identical to bool. */
struct Bool {
  bool value;
  Bool(bool initial = false) : value(initial) {}  // NOLINT: implicit, so {true, false} and push_back(true) work
  operator bool&() { return value; }
  operator bool() const { return value; }
  friend bool operator==(const Bool& left, const Bool& right) { return left.value == right.value; }
  friend bool operator!=(const Bool& left, const Bool& right) { return left.value != right.value; }
};
static_assert(sizeof(Bool) == sizeof(bool) && std::is_standard_layout_v<Bool>, "perfloop::detail::Bool must be layout-identical to bool");

enum class ParamKind { Value, StringView, FunctionPointer, CString, VoidPointer, BoolPointer, ArrayPointer };

template <class Pm>
constexpr ParamKind paramKind() {
  using Bare = std::remove_cv_t<std::remove_reference_t<Pm>>;
  if constexpr (IsStringView<Bare>::value && !(std::is_lvalue_reference_v<Pm> && !std::is_const_v<std::remove_reference_t<Pm>>)) {
    return ParamKind::StringView;
  } else if constexpr (std::is_pointer_v<Pm>) {
    using Pointee = std::remove_pointer_t<Pm>;
    using BarePointee = std::remove_cv_t<Pointee>;
    if constexpr (std::is_function_v<Pointee>) return ParamKind::FunctionPointer;
    else if constexpr (kIsCharLike<BarePointee>) return ParamKind::CString;
    else if constexpr (std::is_void_v<BarePointee>) return ParamKind::VoidPointer;
    else if constexpr (std::is_same_v<BarePointee, bool>) return ParamKind::BoolPointer;
    else return ParamKind::ArrayPointer;
  } else {
    return ParamKind::Value;
  }
}

/**
 * How a parameter of type Pm is stored in an input and passed to the function (README.md, "Inputs"):
 *   T, const T&        -> T                   passed as a copy / a reference      not compared after the call
 *   T&                 -> T                   a reference                          compared (mutation)
 *   T&&                -> T                   std::move (a fresh copy every call)  not compared
 *   T*, const T*       -> std::vector<T>      .data()                              compared for T*
 *   char*, const char* -> std::string         .data() (NUL-terminated)             compared for char*
 *   (also wchar_t/char16_t/char32_t; void* -> std::vector<unsigned char>; bool* -> std::vector<perfloop::detail::Bool>;
 *    std::string_view -> std::string; function pointers as they are)
 */
template <class Pm, ParamKind Kind = paramKind<Pm>()>
struct Param;

template <class Pm>
struct Param<Pm, ParamKind::Value> {
  using Stored = std::remove_cv_t<std::remove_reference_t<Pm>>;
  static constexpr bool kMutable = std::is_lvalue_reference_v<Pm> && !std::is_const_v<std::remove_reference_t<Pm>>;
  static constexpr bool kConsumed = std::is_rvalue_reference_v<Pm>;
  static decltype(auto) pass(Stored& stored) {
    if constexpr (kConsumed) return std::move(stored);
    else return (stored);
  }
};

template <class Pm>
struct Param<Pm, ParamKind::StringView> {
  using View = std::remove_cv_t<std::remove_reference_t<Pm>>;
  using Stored = std::basic_string<typename View::value_type, typename View::traits_type>;
  static constexpr bool kMutable = false;
  static constexpr bool kConsumed = false;
  static View pass(Stored& stored) { return View(stored); }
};

template <class Pm>
struct Param<Pm, ParamKind::FunctionPointer> {
  using Stored = Pm;
  static constexpr bool kMutable = false;
  static constexpr bool kConsumed = false;
  static Pm pass(Stored& stored) { return stored; }
};

template <class Pm>
struct Param<Pm, ParamKind::CString> {
  using Stored = std::basic_string<std::remove_cv_t<std::remove_pointer_t<Pm>>>;
  static constexpr bool kMutable = !std::is_const_v<std::remove_pointer_t<Pm>>;
  static constexpr bool kConsumed = false;
  static Pm pass(Stored& stored) { return stored.data(); }
};

template <class Pm>
struct Param<Pm, ParamKind::VoidPointer> {
  using Stored = std::vector<unsigned char>;
  static constexpr bool kMutable = !std::is_const_v<std::remove_pointer_t<Pm>>;
  static constexpr bool kConsumed = false;
  static Pm pass(Stored& stored) { return stored.data(); }
};

template <class Pm>
struct Param<Pm, ParamKind::BoolPointer> {
  using Stored = std::vector<Bool>;
  static constexpr bool kMutable = !std::is_const_v<std::remove_pointer_t<Pm>>;
  static constexpr bool kConsumed = false;
  static Pm pass(Stored& stored) { return reinterpret_cast<bool*>(stored.data()); }
};

template <class Pm>
struct Param<Pm, ParamKind::ArrayPointer> {
  using Stored = std::vector<std::remove_cv_t<std::remove_pointer_t<Pm>>>;
  static constexpr bool kMutable = !std::is_const_v<std::remove_pointer_t<Pm>>;
  static constexpr bool kConsumed = false;
  static Pm pass(Stored& stored) { return stored.data(); }
};

}  // namespace detail

/** The storage type of a parameter of type Param: what Inputs::add takes for it (README.md, "Inputs"). */
template <class Pm>
using Storage = typename detail::Param<Pm>::Stored;

/** The argument for a parameter of type Pm, from its storage. */
template <class Pm>
decltype(auto) pass(Storage<Pm>& stored) {
  return detail::Param<Pm>::pass(stored);
}

namespace detail {

// ---- returned values ---------------------------------------------------------------------------------------------

/** A returned C string, copied at once (it may point into the arguments): compared as text, null as NULL. */
template <class Ch>
struct ReturnedCString {
  bool isNull = true;
  std::basic_string<Ch> text;
};

struct NoValue {};

template <class Tp>
struct TypeTag {
  using type = Tp;
};

template <class Rt>
auto storedReturnTag() {
  using Bare = std::remove_cv_t<std::remove_reference_t<Rt>>;
  if constexpr (std::is_void_v<Rt>) {
    return TypeTag<NoValue>{};
  } else {
    static_assert(!(std::is_pointer_v<Bare> && !kIsCString<Bare>) && !std::is_member_pointer_v<Bare>,
                  "Perfloop: functions returning pointers are not supported; return a value or fill an output parameter");
    if constexpr (kIsCString<Bare>) return TypeTag<ReturnedCString<std::remove_cv_t<std::remove_pointer_t<Bare>>>>{};
    else if constexpr (IsStringView<Bare>::value) return TypeTag<std::basic_string<typename Bare::value_type, typename Bare::traits_type>>{};
    else return TypeTag<Bare>{};
  }
}

/** What is kept of a returned value: a copy (also of a returned reference or string_view), C strings as text. */
template <class Rt>
using StoredReturn = typename decltype(storedReturnTag<Rt>())::type;

// ---- equality ------------------------------------------------------------------------------------------------------

inline constexpr double kAbsoluteTolerance = 1e-9;

/**
 * numbersEqual of compare.mjs: Object.is semantics (NaN equals NaN, 0 and -0 differ), exact for zeros, non-finite
 * values and whole numbers (whole numbers only below 2^digits, 2^53 for double: above it every value is whole), else
 * a relative tolerance with an absolute floor of 1e-9.
 */
template <class Fl>
bool floatsEqual(Fl left, Fl right, double tolerance) {
  int leftClass = floatClass(left), rightClass = floatClass(right);
  if (leftClass == 2 || rightClass == 2) return leftClass == rightClass;
  if (left == right) return signBit(left) == signBit(right);
  if (left == 0 || right == 0 || leftClass != 0 || rightClass != 0) return false;
  const Fl wholeLimit = std::ldexp(Fl(1), std::numeric_limits<Fl>::digits);
  auto whole = [&](Fl value) { return std::fabs(value) < wholeLimit && std::trunc(value) == value; };
  if (whole(left) && whole(right)) return false;
  Fl magnitude = (std::max)(std::fabs(left), std::fabs(right));
  Fl bound = (std::max)(static_cast<Fl>(tolerance) * magnitude, static_cast<Fl>(kAbsoluteTolerance));
  return std::fabs(left - right) <= bound;
}

template <class Ch>
bool cStringsEqual(const Ch* left, const Ch* right) {
  if (left == nullptr || right == nullptr) return left == right;
  return std::basic_string_view<Ch>(left) == std::basic_string_view<Ch>(right);
}

template <class Tp>
bool equalValues(const Tp& left, const Tp& right, double tolerance);

template <class Tp>
bool rangesEqual(const Tp& left, const Tp& right, double tolerance) {
  auto leftIt = std::begin(left), leftEnd = std::end(left);
  auto rightIt = std::begin(right), rightEnd = std::end(right);
  if constexpr (HasSize<Tp>::value) {
    if (left.size() != right.size()) return false;
  }
  using Element = std::remove_cv_t<std::remove_reference_t<decltype(*leftIt)>>;
  for (; leftIt != leftEnd && rightIt != rightEnd; ++leftIt, ++rightIt) {
    if (!equalValues<Element>(*leftIt, *rightIt, tolerance)) return false;
  }
  return leftIt == leftEnd && rightIt == rightEnd;
}

/** Unordered containers (also multi-): as sets/maps, whatever the iteration order. Keys exact, values with tolerance. */
template <class Tp>
bool unorderedEqual(const Tp& left, const Tp& right, double tolerance) {
  if (left.size() != right.size()) return false;
  for (auto it = left.begin(); it != left.end();) {
    const auto& key = [&]() -> const typename Tp::key_type& {
      if constexpr (HasMapped<Tp>::value) return it->first;
      else return *it;
    }();
    auto leftRange = left.equal_range(key);
    auto rightRange = right.equal_range(key);
    auto count = std::distance(leftRange.first, leftRange.second);
    if (count != std::distance(rightRange.first, rightRange.second)) return false;
    if constexpr (HasMapped<Tp>::value) {
      std::vector<bool> used(static_cast<std::size_t>(count), false);
      for (auto l = leftRange.first; l != leftRange.second; ++l) {
        bool found = false;
        std::size_t index = 0;
        for (auto r = rightRange.first; r != rightRange.second; ++r, ++index) {
          if (!used[index] && equalValues(l->second, r->second, tolerance)) {
            used[index] = true;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
    }
    it = leftRange.second;
  }
  return true;
}

template <class Tuple, std::size_t... Is>
bool tuplesEqual(const Tuple& left, const Tuple& right, double tolerance, std::index_sequence<Is...>) {
  return (equalValues(std::get<Is>(left), std::get<Is>(right), tolerance) && ...);
}

/**
 * Structural equality: floats with tolerance (also inside containers, pairs, tuples, optionals, variants, complex and
 * C structs), strings and C strings by text, unordered containers order-independently, then the type's operator==,
 * then C-like aggregates field by field, then the bytes of types without padding.
 */
template <class Tp>
bool equalValues(const Tp& left, const Tp& right, double tolerance) {
  if constexpr (std::is_same_v<Tp, bool> || std::is_integral_v<Tp> || std::is_enum_v<Tp>) {
    return left == right;
  } else if constexpr (std::is_floating_point_v<Tp>) {
    return floatsEqual(left, right, tolerance);
  } else if constexpr (std::is_same_v<Tp, std::nullptr_t> || std::is_same_v<Tp, NoValue>) {
    return true;
  } else if constexpr (std::is_same_v<Tp, Bool>) {
    return left.value == right.value;
  } else if constexpr (kIsCString<Tp>) {
    return cStringsEqual(left, right);
  } else if constexpr (std::is_pointer_v<Tp> || std::is_member_pointer_v<Tp>) {
    return left == right;
  } else if constexpr (std::is_array_v<Tp>) {
    for (std::size_t i = 0; i < std::extent_v<Tp>; i++) {
      if (!equalValues(left[i], right[i], tolerance)) return false;
    }
    return true;
  } else if constexpr (IsBasicString<Tp>::value || IsStringView<Tp>::value) {
    return left == right;
  } else if constexpr (std::is_same_v<Tp, ReturnedCString<char>> || std::is_same_v<Tp, ReturnedCString<wchar_t>> ||
                       std::is_same_v<Tp, ReturnedCString<char16_t>> || std::is_same_v<Tp, ReturnedCString<char32_t>>) {
    return left.isNull == right.isNull && left.text == right.text;
  } else if constexpr (IsComplex<Tp>::value) {
    return floatsEqual(left.real(), right.real(), tolerance) && floatsEqual(left.imag(), right.imag(), tolerance);
  } else if constexpr (IsPair<Tp>::value) {
    return equalValues(left.first, right.first, tolerance) && equalValues(left.second, right.second, tolerance);
  } else if constexpr (IsTuple<Tp>::value) {
    return tuplesEqual(left, right, tolerance, std::make_index_sequence<std::tuple_size_v<Tp>>{});
  } else if constexpr (IsOptional<Tp>::value) {
    if (left.has_value() != right.has_value()) return false;
    return !left.has_value() || equalValues(*left, *right, tolerance);
  } else if constexpr (IsVariant<Tp>::value) {
    if (left.index() != right.index()) return false;
    if (left.valueless_by_exception()) return true;
    return std::visit(
        [&](const auto& leftValue) {
          using Held = std::remove_cv_t<std::remove_reference_t<decltype(leftValue)>>;
          return equalValues(leftValue, *std::get_if<Held>(&right), tolerance);
        },
        left);
  } else if constexpr (IsSmartPointer<Tp>::value) {
    if (!left || !right) return !left && !right;
    return equalValues(*left, *right, tolerance);
  } else if constexpr (IsUnordered<Tp>::value) {
    return unorderedEqual(left, right, tolerance);
  } else if constexpr (IsRange<Tp>::value) {
    return rangesEqual(left, right, tolerance);
  } else if constexpr (HasEquality<Tp>::value) {
    return static_cast<bool>(left == right);
  } else if constexpr (HasPerfloopFields<Tp>::value) {
    return Tp::perfloop_fields(left, right, [&](const auto& leftField, const auto& rightField) { return equalValues(leftField, rightField, tolerance); });
  } else if constexpr (std::is_empty_v<Tp>) {
    return true;
  } else if constexpr (IsFieldWise<Tp>::value) {
    return visitFieldPairs(left, right, [&](const auto& leftField, const auto& rightField) {
      return equalValues(leftField, rightField, tolerance);
    });
  } else if constexpr (std::has_unique_object_representations_v<Tp>) {
    return std::memcmp(static_cast<const void*>(&left), static_cast<const void*>(&right), sizeof(Tp)) == 0;
  } else {
    static_assert(kDependentFalse<Tp>,
                  "Perfloop cannot compare values of this type (it is named in the 'required from' lines of this error, as "
                  "Tp = ...): give it operator== (e.g. `bool operator==(const X& a, const X& b)` in the workload module)");
    return false;
  }
}

// ---- repr ----------------------------------------------------------------------------------------------------------

inline constexpr std::size_t kReprItems = 30;
inline constexpr std::size_t kReprStringChars = 200;
inline constexpr int kReprDepth = 4;

/** A bounded text rendering, in C++ initialiser syntax: what in.add(...) would take. Stops early when past its limit. */
struct ReprOut {
  std::string text;
  std::size_t limit;
  bool full() const { return text.size() > limit; }
};

template <class Tp>
void reprValue(ReprOut& out, const Tp& value, int depth);

template <class Integer>
void appendInteger(std::string& out, Integer value) {
  char digits[64];
  std::size_t count = 0;
  bool negative = false;
  using Unsigned = std::make_unsigned_t<Integer>;
  Unsigned magnitude = static_cast<Unsigned>(value);
  if constexpr (std::is_signed_v<Integer>) {
    if (value < 0) {
      negative = true;
      magnitude = static_cast<Unsigned>(Unsigned(0) - magnitude);
    }
  }
  do {
    digits[count++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude = static_cast<Unsigned>(magnitude / 10);
  } while (magnitude != 0 && count < sizeof digits);
  if (negative) out += '-';
  while (count > 0) out += digits[--count];
}

template <class Fl>
void appendFloat(std::string& out, Fl value) {
  if (floatClass(value) == 2) {
    out += signBit(value) ? "-NAN" : "NAN";
    return;
  }
  if (floatClass(value) == 1) {
    out += value < 0 ? "-INFINITY" : "INFINITY";
    return;
  }
  std::size_t start = out.size();
  char buffer[128];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  auto done = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, done.ptr);
#else
  std::snprintf(buffer, sizeof buffer, "%.17Lg", static_cast<long double>(value));
  out += buffer;
#endif
  if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
  if constexpr (std::is_same_v<Fl, float>) out += 'f';
  else if constexpr (std::is_same_v<Fl, long double>) out += 'L';
}

/** One character (code point) inside quotes, C++-escaped. */
inline void appendEscapedChar(std::string& out, std::uint32_t code, char quote) {
  static const char hex[] = "0123456789abcdef";
  switch (code) {
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\0': out += "\\0"; return;
    case '\\': out += "\\\\"; return;
    default: break;
  }
  if (code == static_cast<std::uint32_t>(quote)) {
    out += '\\';
    out += quote;
  } else if (code < 0x20 || code == 0x7F) {
    out += "\\x";
    out += hex[(code >> 4) & 15];
    out += hex[code & 15];
  } else if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code <= 0xFFFF) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(code >> shift) & 15];
  } else {
    out += "\\U";
    for (int shift = 28; shift >= 0; shift -= 4) out += hex[(code >> shift) & 15];
  }
}

/** A quoted string (at most kReprStringChars characters, then how many more). Bytes of char strings are kept as they
 * are above 0x7F (the JSON writer replaces invalid UTF-8). */
template <class Ch>
void appendQuoted(std::string& out, std::basic_string_view<Ch> text) {
  if constexpr (std::is_same_v<Ch, wchar_t>) out += 'L';
  else if constexpr (std::is_same_v<Ch, char16_t>) out += 'u';
  else if constexpr (std::is_same_v<Ch, char32_t>) out += 'U';
#if defined(__cpp_char8_t)
  else if constexpr (std::is_same_v<Ch, char8_t>) out += "u8";
#endif
  out += '"';
  std::size_t shown = (std::min)(text.size(), kReprStringChars);
  for (std::size_t i = 0; i < shown; i++) {
    auto code = static_cast<std::uint32_t>(static_cast<std::make_unsigned_t<Ch>>(text[i]));
    if constexpr (sizeof(Ch) == 1) {
      if (code >= 0x80) {
        out += static_cast<char>(text[i]);
        continue;
      }
    }
    appendEscapedChar(out, code, '"');
  }
  out += '"';
  if (text.size() > shown) {
    out += "... (";
    out += std::to_string(text.size() - shown);
    out += " more chars)";
  }
}

template <class Range>
void reprSequence(ReprOut& out, const Range& range, int depth) {
  out.text += '{';
  std::size_t index = 0;
  auto it = std::begin(range), end = std::end(range);
  for (; it != end && index < kReprItems && !out.full(); ++it, ++index) {
    if (index > 0) out.text += ", ";
    reprValue(out, *it, depth + 1);
  }
  if (it != end) {
    std::size_t more = 0;
    if constexpr (HasSize<Range>::value) more = static_cast<std::size_t>(range.size()) - index;
    else more = static_cast<std::size_t>(std::distance(it, end));
    out.text += ", ... (";
    out.text += std::to_string(more);
    out.text += " more)";
  }
  out.text += '}';
}

/** Unordered containers are shown sorted (when their keys have operator<), so equal ones look alike. */
template <class Range>
void reprUnordered(ReprOut& out, const Range& range, int depth) {
  using Element = typename Range::value_type;
  using Key = typename Range::key_type;
  if constexpr (HasLess<Key>::value) {
    std::vector<const Element*> items;
    items.reserve(range.size());
    for (const auto& item : range) items.push_back(&item);
    auto keyOf = [](const Element* item) -> const Key& {
      if constexpr (HasMapped<Range>::value) return item->first;
      else return *item;
    };
    std::size_t shown = (std::min)(items.size(), kReprItems);
    std::partial_sort(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(shown), items.end(),
                      [&](const Element* left, const Element* right) { return keyOf(left) < keyOf(right); });
    out.text += '{';
    for (std::size_t i = 0; i < shown && !out.full(); i++) {
      if (i > 0) out.text += ", ";
      reprValue(out, *items[i], depth + 1);
    }
    if (items.size() > shown) {
      out.text += ", ... (";
      out.text += std::to_string(items.size() - shown);
      out.text += " more)";
    }
    out.text += '}';
  } else {
    reprSequence(out, range, depth);
  }
}

template <class Tuple, std::size_t... Is>
void reprTuple(ReprOut& out, const Tuple& tuple, int depth, std::index_sequence<Is...>) {
  out.text += '{';
  std::size_t index = 0;
  ((out.text += (index++ > 0 ? ", " : ""), reprValue(out, std::get<Is>(tuple), depth + 1)), ...);
  out.text += '}';
}

template <class Tp>
void reprValue(ReprOut& out, const Tp& value, int depth) {
  if (out.full()) return;
  if (depth > kReprDepth) {
    out.text += "...";
    return;
  }
  std::string& text = out.text;
  if constexpr (std::is_same_v<Tp, bool> || std::is_same_v<Tp, Bool>) {
    text += static_cast<bool>(value) ? "true" : "false";
  } else if constexpr (kIsCharLike<Tp>) {
    if constexpr (std::is_same_v<Tp, wchar_t>) text += 'L';
    else if constexpr (std::is_same_v<Tp, char16_t>) text += 'u';
    else if constexpr (std::is_same_v<Tp, char32_t>) text += 'U';
    text += '\'';
    auto code = static_cast<std::uint32_t>(static_cast<std::make_unsigned_t<Tp>>(value));
    if (sizeof(Tp) == 1 && code >= 0x80) {
      text += "\\x";
      static const char hex[] = "0123456789abcdef";
      text += hex[(code >> 4) & 15];
      text += hex[code & 15];
    } else {
      appendEscapedChar(text, code, '\'');
    }
    text += '\'';
  } else if constexpr (std::is_integral_v<Tp>) {
    appendInteger(text, value);
  } else if constexpr (std::is_floating_point_v<Tp>) {
    appendFloat(text, value);
  } else if constexpr (std::is_enum_v<Tp> && !HasOstream<Tp>::value) {
    text += typeName<Tp>();
    text += '(';
    appendInteger(text, static_cast<std::underlying_type_t<Tp>>(value));
    text += ')';
  } else if constexpr (std::is_same_v<Tp, std::nullptr_t>) {
    text += "nullptr";
  } else if constexpr (std::is_same_v<Tp, NoValue>) {
    text += "void";
  } else if constexpr (kIsCString<Tp>) {
    if (value == nullptr) text += "NULL";
    else appendQuoted(text, std::basic_string_view<std::remove_cv_t<std::remove_pointer_t<Tp>>>(value));
  } else if constexpr (std::is_pointer_v<Tp> && std::is_function_v<std::remove_pointer_t<Tp>>) {
    text += value == nullptr ? "nullptr" : "<function>";
  } else if constexpr (std::is_pointer_v<Tp>) {
    if (value == nullptr) {
      text += "nullptr";
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%p", const_cast<void*>(static_cast<const volatile void*>(value)));
      text += "(";
      text += typeName<Tp>();
      text += ")";
      text += buffer;
    }
  } else if constexpr (std::is_member_pointer_v<Tp>) {
    text += "<member pointer>";
  } else if constexpr (std::is_array_v<Tp>) {
    using Element = std::remove_cv_t<std::remove_extent_t<Tp>>;
    if constexpr (std::is_same_v<Element, char>) {
      // A char array is a C string buffer: shown up to its first NUL.
      std::size_t length = 0;
      while (length < std::extent_v<Tp> && value[length] != '\0') length++;
      appendQuoted(text, std::string_view(value, length));
    } else {
      reprSequence(out, value, depth);
    }
  } else if constexpr (IsBasicString<Tp>::value || IsStringView<Tp>::value) {
    appendQuoted(text, std::basic_string_view<typename Tp::value_type>(value.data(), value.size()));
  } else if constexpr (std::is_same_v<Tp, ReturnedCString<char>> || std::is_same_v<Tp, ReturnedCString<wchar_t>> ||
                       std::is_same_v<Tp, ReturnedCString<char16_t>> || std::is_same_v<Tp, ReturnedCString<char32_t>>) {
    if (value.isNull) text += "NULL";
    else reprValue(out, value.text, depth);
  } else if constexpr (IsComplex<Tp>::value) {
    text += '{';
    reprValue(out, value.real(), depth + 1);
    text += ", ";
    reprValue(out, value.imag(), depth + 1);
    text += '}';
  } else if constexpr (IsPair<Tp>::value) {
    text += '{';
    reprValue(out, value.first, depth + 1);
    text += ", ";
    reprValue(out, value.second, depth + 1);
    text += '}';
  } else if constexpr (IsTuple<Tp>::value) {
    reprTuple(out, value, depth, std::make_index_sequence<std::tuple_size_v<Tp>>{});
  } else if constexpr (IsOptional<Tp>::value) {
    if (value.has_value()) reprValue(out, *value, depth);
    else text += "std::nullopt";
  } else if constexpr (IsVariant<Tp>::value) {
    if (value.valueless_by_exception()) text += "<valueless variant>";
    else std::visit([&](const auto& held) { reprValue(out, held, depth); }, value);
  } else if constexpr (IsSmartPointer<Tp>::value) {
    if (!value) text += "nullptr";
    else {
      text += '&';
      reprValue(out, *value, depth + 1);
    }
  } else if constexpr (IsUnordered<Tp>::value) {
    reprUnordered(out, value, depth);
  } else if constexpr (IsRange<Tp>::value) {
    reprSequence(out, value, depth);
  } else if constexpr (HasOstream<Tp>::value) {
    std::ostringstream stream;
    stream << value;
    std::string shown = stream.str();
    if (shown.size() > out.limit) shown.resize(out.limit);
    text += shown;
  } else if constexpr (HasPerfloopFields<Tp>::value) {
    text += typeName<Tp>();
    text += '{';
    bool first = true;
    Tp::perfloop_fields(value, value, [&](const auto& field, const auto&) {
      if (!first) out.text += ", ";
      first = false;
      reprValue(out, field, depth + 1);
      return !out.full();
    });
    text += '}';
  } else if constexpr (std::is_empty_v<Tp>) {
    text += typeName<Tp>();
    text += "{}";
  } else if constexpr (IsFieldWise<Tp>::value) {
    text += typeName<Tp>();
    text += '{';
    bool first = true;
    visitFieldPairs(value, value, [&](const auto& field, const auto&) {
      if (!first) out.text += ", ";
      first = false;
      reprValue(out, field, depth + 1);
      return !out.full();
    });
    text += '}';
  } else if constexpr (std::has_unique_object_representations_v<Tp>) {
    static const char hex[] = "0123456789abcdef";
    text += '<';
    text += typeName<Tp>();
    text += ": ";
    text += std::to_string(sizeof(Tp));
    text += " bytes ";
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(&value);
    std::size_t shown = (std::min)(sizeof(Tp), std::size_t{32});
    for (std::size_t i = 0; i < shown; i++) {
      text += hex[bytes[i] >> 4];
      text += hex[bytes[i] & 15];
    }
    if (shown < sizeof(Tp)) text += "...";
    text += '>';
  } else {
    text += '<';
    text += typeName<Tp>();
    text += " object>";
  }
}

inline std::string finishRepr(ReprOut& out) {
  if (out.text.size() > out.limit) {
    std::size_t keep = out.limit > 3 ? out.limit - 3 : 0;
    // Do not cut a UTF-8 sequence in two.
    while (keep > 0 && (static_cast<unsigned char>(out.text[keep]) & 0xC0u) == 0x80u) keep--;
    out.text.resize(keep);
    out.text += "...";
  }
  return std::move(out.text);
}

/** The arguments of an input as a call's argument list: `({3, 1, 2}, 3)`. */
template <class Tuple, std::size_t... Is>
std::string reprArguments(const Tuple& arguments, std::size_t limit, std::index_sequence<Is...>) {
  ReprOut out{std::string(), limit};
  out.text += '(';
  std::size_t index = 0;
  ((out.text += (index++ > 0 ? ", " : ""), reprValue(out, std::get<Is>(arguments), 0)), ...);
  out.text += ')';
  return finishRepr(out);
}

// ---- sizes ---------------------------------------------------------------------------------------------------------

/** How big an input is, to rank counterexamples (smallest first): 1 per scalar, characters of strings, elements of
 * containers (recursively). Bounded depth. */
template <class Tp>
std::size_t sizeOfValue(const Tp& value, int depth = 0) {
  if (depth > 8) return 1;
  if constexpr (IsBasicString<Tp>::value || IsStringView<Tp>::value) {
    return value.size();
  } else if constexpr (kIsCString<Tp>) {
    return value == nullptr ? 0 : std::char_traits<std::remove_cv_t<std::remove_pointer_t<Tp>>>::length(value);
  } else if constexpr (IsPair<Tp>::value) {
    return sizeOfValue(value.first, depth + 1) + sizeOfValue(value.second, depth + 1);
  } else if constexpr (IsTuple<Tp>::value) {
    return std::apply([&](const auto&... items) { return (std::size_t{0} + ... + sizeOfValue(items, depth + 1)); }, value);
  } else if constexpr (IsOptional<Tp>::value) {
    return value.has_value() ? sizeOfValue(*value, depth + 1) : 0;
  } else if constexpr (HasPerfloopFields<Tp>::value) {
    std::size_t total = 0;
    Tp::perfloop_fields(value, value, [&](const auto& field, const auto&) {
      total += sizeOfValue(field, depth + 1);
      return true;
    });
    return total;
  } else if constexpr (IsRange<Tp>::value || std::is_array_v<Tp>) {
    using Element = std::remove_cv_t<std::remove_reference_t<decltype(*std::begin(value))>>;
    if constexpr (std::is_arithmetic_v<Element> || std::is_enum_v<Element> || std::is_same_v<Element, Bool>) {
      if constexpr (HasSize<Tp>::value) return static_cast<std::size_t>(value.size());
      else return static_cast<std::size_t>(std::distance(std::begin(value), std::end(value)));
    } else {
      std::size_t total = 0;
      for (const auto& item : value) total += sizeOfValue(item, depth + 1);
      return total;
    }
  } else {
    return 1;
  }
}

// ---- process state: result, progress, stdout capture -----------------------------------------------------------------

struct Runtime {
  int savedStdout = -1;
  int captureFd = -1;
  bool capturing = false;
  int progressFd = -1;
  bool progressOpened = false;
  std::size_t progressLength = 0;
};
inline Runtime gRuntime;

inline constexpr std::size_t kMaxCapturedBytes = 100000;

inline void restoreStdout() {
  Runtime& rt = gRuntime;
  if (!rt.capturing) return;
  std::fflush(stdout);
  ::dup2(rt.savedStdout, 1);
  rt.capturing = false;
}

/**
 * Writes the result in place, not through a rename: the sandbox makes this one file writable (a rename onto it fails),
 * and the runner reads it only once the process has ended, when a half-written file is invalid JSON, i.e. no result.
 */
inline void writeResultFile(const std::string& json) {
  int fd = ::open(gJob.resultPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool good = fd >= 0;
  std::size_t done = 0;
  while (good && done < json.size()) {
    ssize_t written = ::write(fd, json.data() + done, json.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) good = false;
    else done += static_cast<std::size_t>(written);
  }
  if (fd >= 0 && ::close(fd) != 0) good = false;
  if (!good) {
    writeStderr("perfloop harness: cannot write the result file ");
    writeStderr(gJob.resultPath);
    writeStderr(": ");
    writeStderr(std::strerror(errno));
    writeStderr("\n");
    ::_exit(4);
  }
}

inline std::string resultEnvelope() {
  std::string out = "{\"protocol\":1,\"compiler\":";
  appendJsonString(out, __VERSION__);
  out += ",\"nonce\":";
  appendJsonString(out, gJob.nonce != nullptr ? gJob.nonce : "");
  return out;
}

/**
 * Writes the result and ends the process at once: no static destructors or atexit hooks of the program under test
 * (nor LeakSanitizer) run after the verdict. What the program printed is flushed first.
 */
[[noreturn]] inline void finishWith(const std::string& members) {
  restoreStdout();
  writeResultFile(resultEnvelope() + members + "}");
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(0);
}

/** kind: program | workload | internal; side: original | candidate | program | workload or null. */
[[noreturn]] inline void fail(const char* kind, const char* side, const std::string& message, const std::string& detail = std::string()) {
  std::string out = ",\"ok\":false,\"error\":{\"kind\":";
  appendJsonString(out, kind);
  if (side != nullptr) {
    out += ",\"side\":";
    appendJsonString(out, side);
  }
  out += ",\"message\":";
  appendJsonString(out, message);
  if (!detail.empty()) {
    out += ",\"detail\":";
    appendJsonString(out, detail);
  }
  out += '}';
  finishWith(out);
}

/** Created at the first write: an empty progress file would not be JSON. */
inline void openProgress() {
  if (gJob.progressPath == nullptr || gRuntime.progressOpened) return;
  gRuntime.progressOpened = true;
  gRuntime.progressFd = ::open(gJob.progressPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/**
 * Which side runs on which input, read by the runner only when the process dies. One pwrite at offset 0, padded with
 * spaces to the longest text written so far (JSON allows trailing whitespace): no truncate, so a kill at any moment
 * leaves a complete JSON text.
 */
inline void writeProgress(const char* side, const char* set, std::size_t index, const std::string& input) {
  Runtime& rt = gRuntime;
  openProgress();
  if (rt.progressFd < 0) return;
  std::string text = "{\"side\":\"";
  text += side;
  text += "\",\"set\":\"";
  text += set;
  text += "\",\"index\":";
  text += std::to_string(index);
  text += ",\"input\":";
  appendJsonString(text, input);
  text += '}';
  if (text.size() < rt.progressLength) text.append(rt.progressLength - text.size(), ' ');
  rt.progressLength = text.size();
  ssize_t written;
  do written = ::pwrite(rt.progressFd, text.data(), text.size(), 0);
  while (written < 0 && errno == EINTR);
}

/** A file for what calls print: in the working directory (deleted at once, kept open), else an anonymous one. */
inline void openCapture() {
  Runtime& rt = gRuntime;
  std::fflush(stdout);
  rt.savedStdout = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
  if (rt.savedStdout < 0) return;
  char name[64];
  std::snprintf(name, sizeof name, ".perfloop-stdout-%ld", static_cast<long>(::getpid()));
  rt.captureFd = ::open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (rt.captureFd >= 0) ::unlink(name);
#if defined(MFD_CLOEXEC)
  if (rt.captureFd < 0) rt.captureFd = ::memfd_create("perfloop-stdout", MFD_CLOEXEC);
#endif
  if (rt.captureFd < 0) {
    std::FILE* anonymous = std::tmpfile();
    if (anonymous != nullptr) rt.captureFd = ::fcntl(::fileno(anonymous), F_DUPFD_CLOEXEC, 3);
  }
}

inline void beginCapture() {
  Runtime& rt = gRuntime;
  if (rt.captureFd < 0 || rt.savedStdout < 0) return;
  std::fflush(stdout);
  std::cout.flush();
  if (::ftruncate(rt.captureFd, 0) != 0) return;
  ::lseek(rt.captureFd, 0, SEEK_SET);  // fd 1 will share this offset
  if (::dup2(rt.captureFd, 1) < 0) return;
  rt.capturing = true;
}

inline std::string endCapture() {
  Runtime& rt = gRuntime;
  if (!rt.capturing) return std::string();
  std::fflush(stdout);
  std::cout.flush();
  ::dup2(rt.savedStdout, 1);
  rt.capturing = false;
  off_t size = ::lseek(rt.captureFd, 0, SEEK_END);
  std::size_t wanted = size > 0 ? (std::min)(static_cast<std::size_t>(size), kMaxCapturedBytes) : 0;
  std::string output(wanted, '\0');
  std::size_t done = 0;
  while (done < wanted) {
    ssize_t got = ::pread(rt.captureFd, &output[done], wanted - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  output.resize(done);
  return output;
}

// ---- exceptions ----------------------------------------------------------------------------------------------------

struct Thrown {
  std::string type;
  std::string what;
};

#if PERFLOOP_EXCEPTIONS
/** Inside a catch block: the dynamic type of what was thrown (demangled) and its what() when it is a std::exception. */
inline Thrown describeCurrentException() {
  Thrown thrown;
  const std::type_info* info = abi::__cxa_current_exception_type();
  thrown.type = info != nullptr ? demangle(info->name()) : "unknown exception";
  try {
    throw;
  } catch (const std::exception& error) {
    const char* what = error.what();
    thrown.what = what != nullptr ? what : "";
  } catch (...) {
  }
  return thrown;
}
#define PERFLOOP_TRY try
#define PERFLOOP_CATCH_INTO(flag, thrownVar)                          \
  catch (...) {                                                        \
    flag = true;                                                       \
    thrownVar = ::perfloop::detail::describeCurrentException();        \
  }
#define PERFLOOP_CATCH_FLAG(flag) \
  catch (...) {                   \
    flag = true;                  \
  }
#define PERFLOOP_CATCH_TYPE(flag, typeVar)               \
  catch (...) {                                          \
    flag = true;                                         \
    typeVar = abi::__cxa_current_exception_type();       \
  }
#else
#define PERFLOOP_TRY if (true)
#define PERFLOOP_CATCH_INTO(flag, thrownVar) else {}
#define PERFLOOP_CATCH_FLAG(flag) else {}
#define PERFLOOP_CATCH_TYPE(flag, typeVar) else {}
#endif

inline std::string describeThrown(const Thrown& thrown) {
  return thrown.what.empty() ? thrown.type : thrown.type + ": " + thrown.what;
}

// ---- clocks and barriers -------------------------------------------------------------------------------------------

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/** Makes the compiler assume `value` is read (and memory written): a result nobody uses is still computed. */
template <class Tp>
__attribute__((always_inline)) inline void keepAlive(const Tp& value) {
  asm volatile("" : : "r"(&value) : "memory");
}

/** Hides a function pointer's value from the optimiser: no inlining, no hoisting a call out of a loop. */
template <class Fp>
__attribute__((always_inline)) inline Fp opaque(Fp pointer) {
  asm volatile("" : "+r"(pointer));
  return pointer;
}

}  // namespace detail
}  // namespace perfloop

#include "perfloop_snapshot.hpp"
#include "perfloop_transfer.hpp"

namespace perfloop {
namespace detail {

// ---- function signatures and inputs --------------------------------------------------------------------------------

/** A parameter's stored value as a snapshot; a parameter the call cannot change is null when only those it can count. */
template <class Pm>
void snapParam(std::string& out, const Storage<Pm>& stored, bool mutableOnly) {
  if (mutableOnly && !Param<Pm>::kMutable) out += "null";
  else snapValue(out, stored, 1);
}

template <class Rt, class... Ps>
class InputsBase {
 public:
  using Arguments = std::tuple<Storage<Ps>...>;
  /** One input: one argument per parameter, each of the parameter's storage type (braced lists work). */
  void add(Storage<Ps>... arguments) { items_.emplace_back(std::move(arguments)...); }
  std::size_t size() const { return items_.size(); }
  std::vector<Arguments>& perfloopItems() { return items_; }

 private:
  std::vector<Arguments> items_;
};

template <class Rt, class... Ps>
struct SignatureOf {
  using Ret = Rt;
  using Plain = Rt (*)(Ps...);
  using Args = std::tuple<Storage<Ps>...>;
  using Inputs = InputsBase<Rt, Ps...>;
  /** A parameter taken by rvalue reference: every call needs a fresh copy of its argument. */
  static constexpr bool kConsumes = (false || ... || Param<Ps>::kConsumed);
  static constexpr bool kAnyMutable = (false || ... || Param<Ps>::kMutable);

  template <std::size_t... Is>
  __attribute__((always_inline)) static decltype(auto) callWith(Plain fn, Args& args, std::index_sequence<Is...>) {
    return fn(Param<Ps>::pass(std::get<Is>(args))...);
  }
  __attribute__((always_inline)) static decltype(auto) call(Plain fn, Args& args) {
    return callWith(fn, args, std::index_sequence_for<Ps...>{});
  }
  template <std::size_t... Is>
  static std::string snapshotArguments(const Args& args, bool mutableOnly, std::index_sequence<Is...>) {
    std::string out = "{\"t\":\"seq\",\"c\":\"arguments\",\"i\":[";
    ((out += (Is > 0 ? "," : ""), snapParam<Ps>(out, std::get<Is>(args), mutableOnly)), ...);
    out += "]}";
    return out;
  }
  /**
   * The arguments as a snapshot: all of them (an input), or after a call only those it may change (T&, T*, char*), the
   * others null. A `T&&` argument is left moved-from in whatever state the program chose: not a result.
   */
  static std::string snapshotArguments(const Args& args, bool mutableOnly) {
    return snapshotArguments(args, mutableOnly, std::index_sequence_for<Ps...>{});
  }
  static std::string repr(const Args& args, std::size_t limit) { return reprArguments(args, limit, std::index_sequence_for<Ps...>{}); }
  static std::size_t size(const Args& args) {
    return std::apply([](const auto&... items) { return (std::size_t{0} + ... + sizeOfValue(items)); }, args);
  }
};

template <class Fn>
struct Signature {
  static_assert(kDependentFalse<Fn>,
                "perfloop::run needs a function pointer type R(*)(P...): variadic functions, member functions and "
                "overloaded names are not supported");
};
template <class Rt, class... Ps>
struct Signature<Rt (*)(Ps...)> : SignatureOf<Rt, Ps...> {};
template <class Rt, class... Ps>
struct Signature<Rt (*)(Ps...) noexcept> : SignatureOf<Rt, Ps...> {};

}  // namespace detail

/** What the workload module fills: `perfloop::Inputs` is `perfloop::InputsFor<PerfloopFn>`. */
template <class Fn>
class InputsFor : public detail::Signature<Fn>::Inputs {};

/** The workload's generators: correctness_inputs (required), performance_inputs and sized_input (optional, may be null). */
template <class Fn>
struct Generators {
  std::function<void(InputsFor<Fn>&)> correctness;
  std::function<void(InputsFor<Fn>&)> performance;
  std::function<void(std::size_t, InputsFor<Fn>&)> sized;

  /** Function pointers or nullptr; sized_input may take its n as any integer type. */
  template <class Correctness, class Performance = std::nullptr_t, class Sized = std::nullptr_t>
  Generators(Correctness correctnessInputs, Performance performanceInputs = nullptr, Sized sizedInput = nullptr)
      : correctness(wrap(correctnessInputs)), performance(wrap(performanceInputs)), sized(wrapSized(sizedInput)) {}

 private:
  template <class Generator>
  static std::function<void(InputsFor<Fn>&)> wrap(Generator generator) {
    if constexpr (std::is_null_pointer_v<Generator>) return nullptr;
    else if constexpr (std::is_pointer_v<Generator>) {
      if (generator == nullptr) return nullptr;
      return [generator](InputsFor<Fn>& in) { generator(in); };
    } else return [generator](InputsFor<Fn>& in) { generator(in); };
  }
  template <class Generator>
  static std::function<void(std::size_t, InputsFor<Fn>&)> wrapSized(Generator generator) {
    if constexpr (std::is_null_pointer_v<Generator>) return nullptr;
    else if constexpr (std::is_pointer_v<Generator>) {
      if (generator == nullptr) return nullptr;
      return [generator](std::size_t size, InputsFor<Fn>& in) { generator(size, in); };
    } else return [generator](std::size_t size, InputsFor<Fn>& in) { generator(size, in); };
  }
};

/** Structural equality as the harness uses it (floats within `tolerance`, see detail::floatsEqual). */
template <class Tp>
bool equal(const Tp& left, const Tp& right, double tolerance) {
  return detail::equalValues(left, right, tolerance);
}

/** How the harness shows a value (C++ initialiser syntax), cut to `limit` characters. */
template <class Tp>
std::string repr(const Tp& value, std::size_t limit = 400) {
  detail::ReprOut out{std::string(), limit};
  detail::reprValue(out, value, 0);
  return detail::finishRepr(out);
}

namespace detail {

// ---- inputs made apart (perfloop_transfer.hpp; README.md, "Inputs made apart") --------------------------------------

/** What the generators made for one seed: recorded by the `inputs` process, replayed by a side's executable. */
template <class Args>
struct MadeInputs {
  bool hasCorrectness = false;
  bool hasPerformance = false;
  bool hasSized = false;
  std::vector<Args> correctness;
  std::vector<Args> performance;
  /** sized_input(n)'s inputs per n asked, in order; none when it threw. */
  std::vector<std::pair<std::uint64_t, std::optional<std::vector<Args>>>> sized;
};

template <class Args>
void encodeInputList(TransferWriter& out, const std::vector<Args>& items) {
  out.count(items.size());
  for (const Args& item : items) encodeValue(out, item);
}

template <class Args>
bool decodeInputList(TransferReader& in, std::vector<Args>& items) {
  std::size_t count = 0;
  if (!in.count(count, leastBytes<Args>())) return false;
  items.clear();
  items.reserve((std::min)(count, kReserveAhead));
  for (std::size_t i = 0; i < count; i++) {
    if (!decodeElement<Args>(in, [&items](Args&& item) { items.push_back(std::move(item)); })) return false;
  }
  return true;
}

/** The file: magic, version, the argument type's check, which generators exist, then their inputs. */
template <class Args>
std::string encodeMadeInputs(const MadeInputs<Args>& made) {
  TransferWriter out;
  out.bytes(kTransferMagic, sizeof kTransferMagic);
  out.raw(kTransferVersion);
  out.raw(transferTypeCheck<Args>());
  out.flag(made.hasCorrectness);
  out.flag(made.hasPerformance);
  out.flag(made.hasSized);
  encodeInputList(out, made.correctness);
  encodeInputList(out, made.performance);
  out.count(made.sized.size());
  for (const auto& [size, items] : made.sized) {
    out.raw(size);
    out.flag(items.has_value());
    if (items) encodeInputList(out, *items);
  }
  return out.text();
}

/** "" when `bytes` is a well-formed inputs file for these arguments (then in `made`), else what is wrong with it. */
template <class Args>
std::string decodeMadeInputs(const std::string& bytes, MadeInputs<Args>& made) {
  TransferReader in(bytes.data(), bytes.size());
  in.setSize(bytes.size());
  char magic[sizeof kTransferMagic] = {};
  if (!in.bytes(magic, sizeof magic) || std::memcmp(magic, kTransferMagic, sizeof magic) != 0) return "it is not a Perfloop inputs file";
  std::uint32_t version = 0;
  std::uint64_t typeCheck = 0;
  if (in.raw(version) && version != kTransferVersion) {
    return "it has format version " + std::to_string(version) + "; this harness reads version " + std::to_string(kTransferVersion);
  }
  if (in.raw(typeCheck) && typeCheck != transferTypeCheck<Args>()) return "it was made for other parameter types";
  in.flag(made.hasCorrectness) && in.flag(made.hasPerformance) && in.flag(made.hasSized);
  decodeInputList(in, made.correctness) && decodeInputList(in, made.performance);
  std::size_t sizes = 0;
  in.count(sizes, sizeof(std::uint64_t) + 1);
  for (std::size_t i = 0; in.ok() && i < sizes; i++) {
    std::uint64_t size = 0;
    bool present = false;
    if (!in.raw(size) || !in.flag(present)) break;
    made.sized.emplace_back(size, std::nullopt);
    if (present) decodeInputList(in, made.sized.back().second.emplace());
  }
  if (in.ok() && in.left() > 0) in.refuse(std::to_string(in.left()) + " bytes follow its end");
  return in.ok() ? std::string() : in.error();
}

template <class... Ts, std::size_t... Is>
std::string untransferableParameters(TypeTag<std::tuple<Ts...>>, std::index_sequence<Is...>) {
  std::string why;
  auto check = [&why](std::size_t index, std::string reason, std::string type) {
    if (why.empty() && !reason.empty()) why = "parameter " + std::to_string(index + 1) + " (stored as " + type + ") holds " + reason;
  };
  (check(Is, untransferable<Ts>(), typeName<Ts>()), ...);
  return why;
}

/**
 * Why these inputs cannot be handed to the sides as data ("" when they can): a parameter type that cannot be data, or
 * inputs whose decoded copy does not snapshot the same as they do.
 */
template <class Sig, class Args>
std::string besideCodeReason(const MadeInputs<Args>& made) {
  std::string why = untransferableParameters(TypeTag<Args>{}, std::make_index_sequence<std::tuple_size_v<Args>>{});
  if (!why.empty()) return why;
  MadeInputs<Args> back;
  std::string error = decodeMadeInputs(encodeMadeInputs(made), back);
  if (!error.empty()) return "they do not read back from their data: " + error;
  auto same = [](const std::vector<Args>& before, const std::vector<Args>& after, const std::string& what) -> std::string {
    if (before.size() != after.size()) return what + " do not come back as many from their data";
    for (std::size_t i = 0; i < before.size(); i++) {
      if (Sig::snapshotArguments(before[i], false) != Sig::snapshotArguments(after[i], false)) {
        return what + ": input " + std::to_string(i + 1) + " does not come back the same from its data (a bit-field, or a type whose value is not its fields)";
      }
    }
    return std::string();
  };
  why = same(made.correctness, back.correctness, "the correctness inputs");
  if (why.empty()) why = same(made.performance, back.performance, "the performance inputs");
  for (std::size_t i = 0; why.empty() && i < made.sized.size(); i++) {
    if (made.sized[i].second && back.sized[i].second) {
      why = same(*made.sized[i].second, *back.sized[i].second, "sized_input(" + std::to_string(made.sized[i].first) + ")");
    }
  }
  return why;
}

/** The generators of a side's executable: what the `inputs` process recorded, given back in the same calls. */
template <class Fn, class Args>
Generators<Fn> replayedGenerators(std::shared_ptr<const MadeInputs<Args>> made) {
  auto addAll = [](const std::vector<Args>& items, InputsFor<Fn>& in) {
    for (const Args& item : items) in.perfloopItems().push_back(item);
  };
  Generators<Fn> generators([made, addAll](InputsFor<Fn>& in) { addAll(made->correctness, in); });
  if (!made->hasCorrectness) generators.correctness = nullptr;
  if (made->hasPerformance) generators.performance = [made, addAll](InputsFor<Fn>& in) { addAll(made->performance, in); };
  if (made->hasSized) {
    generators.sized = [made, addAll](std::size_t size, InputsFor<Fn>& in) {
      for (const auto& [madeSize, items] : made->sized) {
        if (madeSize != size) continue;
        if (items) addAll(*items, in);  // none: it threw when the inputs were made, and adds nothing here
        return;
      }
      fail("workload", "workload",
           "the inputs made apart from the code hold no sized_input(" + std::to_string(size) + "): they were made for another sized n or seed");
    };
  }
  return generators;
}

/** A whole file, or false with errno set. */
inline bool readWholeFile(const char* path, std::string& bytes) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char chunk[65536];
  for (;;) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int error = errno;
      ::close(fd);
      errno = error;
      return false;
    }
    if (got == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return true;
}

inline bool writeWholeFile(const char* path, const std::string& bytes) {
  int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) break;
    done += static_cast<std::size_t>(written);
  }
  return ::close(fd) == 0 && done == bytes.size();
}

// ---- the modes -----------------------------------------------------------------------------------------------------

inline constexpr std::size_t kMaxLoops = 10000000;
/** Copies pre-built for one sample when calls change their arguments: bounds the memory they take... */
inline constexpr std::size_t kMaxPrebuiltCalls = 100000;
/** ...also in elements (sizeOfValue) for big inputs. */
inline constexpr std::size_t kMaxPrebuiltElements = std::size_t{1} << 25;
inline constexpr std::size_t kSmallSizes[] = {1, 2, 3, 5, 8, 13, 64};
inline constexpr std::size_t kExamples = 3;
/** An exception's message in an outcome, at most. */
inline constexpr std::size_t kMessageLimit = 300;
/** serve mode: the coordinator's channel (profilers/sandbox gives the child fd 4). */
inline constexpr int kChannelFd = 4;

/**
 * What the SIGALRM handler writes when a call runs past its limit (outcomes mode): the result the mode would have
 * written, with the outcomes so far and a timeout for the call. Pieces prepared before the call; the handler only
 * writes them (open, write and _exit are async-signal-safe), in place like writeResultFile. A program that blocks
 * SIGALRM meets the process's own time limit instead.
 */
struct DeadlineReport {
  const char* pieces[4];
  std::size_t lengths[4];
  const char* resultPath;
};
inline DeadlineReport gDeadline;

inline void writeDeadlineReport(int) {
  int fd = ::open(gDeadline.resultPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    for (int i = 0; i < 4; i++) {
      const char* text = gDeadline.pieces[i];
      std::size_t left = gDeadline.lengths[i];
      while (left > 0) {
        ssize_t written = ::write(fd, text, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) break;
        text += written;
        left -= static_cast<std::size_t>(written);
      }
    }
    ::close(fd);
  }
  ::_exit(0);
}

inline void armDeadline(double seconds) {
  struct itimerval timer;
  std::memset(&timer, 0, sizeof timer);
  timer.it_value.tv_sec = static_cast<time_t>(seconds);
  timer.it_value.tv_usec = static_cast<suseconds_t>((seconds - std::floor(seconds)) * 1e6);
  if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0) timer.it_value.tv_usec = 1;
  ::setitimer(ITIMER_REAL, &timer, nullptr);
}

inline void disarmDeadline() {
  struct itimerval timer;
  std::memset(&timer, 0, sizeof timer);
  ::setitimer(ITIMER_REAL, &timer, nullptr);
}

/** The job's `limits`: seconds per input, comma-separated. */
inline std::vector<double> parseLimits(const char* text) {
  std::vector<double> limits;
  if (text == nullptr) return limits;
  for (const char* at = text; *at != '\0';) {
    char* end = nullptr;
    double value = std::strtod(at, &end);
    if (end == at) break;
    limits.push_back(value > 0 && floatClass(value) == 0 ? value : 0);
    at = *end == ',' ? end + 1 : end;
  }
  return limits;
}

/** serve mode: one JSON line each way on the coordinator's channel (profilers/judge/workerChannel.ts). */
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}

  /** The next line; false at the end of the channel (the coordinator is done) or on an error. */
  bool next(std::string& line) {
    for (;;) {
      std::size_t end = buffer_.find('\n');
      if (end != std::string::npos) {
        line.assign(buffer_, 0, end);
        buffer_.erase(0, end + 1);
        return true;
      }
      char chunk[4096];
      ssize_t got = ::read(fd_, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

  bool send(std::string message) {
    message += '\n';
    std::size_t done = 0;
    while (done < message.size()) {
      ssize_t written = ::write(fd_, message.data() + done, message.size() - done);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return false;
      done += static_cast<std::size_t>(written);
    }
    return true;
  }

 private:
  int fd_;
  std::string buffer_;
};

/** A request's `"op"` (the coordinator sends `{"op":"run","loops":12}` and the like). */
inline std::string messageOp(const std::string& line) {
  std::size_t at = line.find("\"op\":\"");
  if (at == std::string::npos) return std::string();
  at += 6;
  std::size_t end = line.find('"', at);
  return end == std::string::npos ? std::string() : line.substr(at, end - at);
}

inline unsigned long long messageNumber(const std::string& line, const char* key) {
  std::string wanted = std::string("\"") + key + "\":";
  std::size_t at = line.find(wanted);
  if (at == std::string::npos) return 0;
  return std::strtoull(line.c_str() + at + wanted.size(), nullptr, 10);
}

/** Whether a request has `"key":true` (`{"op":"run","loops":1,"fresh":true}`). */
inline bool messageFlag(const std::string& line, const char* key) {
  return line.find(std::string("\"") + key + "\":true") != std::string::npos;
}

/** What timed calls print goes nowhere: it still costs its call, but nothing accumulates. */
inline void silenceStdout() {
  std::fflush(stdout);
  int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) return;
  ::dup2(null, 1);
  ::close(null);
}

template <class Fn>
class Harness {
  using Sig = Signature<Fn>;
  using Plain = typename Sig::Plain;
  using Args = typename Sig::Args;
  using Rt = typename Sig::Ret;
  using Stored = StoredReturn<Rt>;
  static constexpr bool kVoid = std::is_void_v<Rt>;
  static_assert(std::is_copy_constructible_v<Args>,
                "Perfloop copies every input before each call: every parameter's storage type must be copyable "
                "(parameters taken by value must have a copyable type)");

  struct Outcome {
    explicit Outcome(const Args& input) : args(input) {}
    bool threw = false;
    Thrown thrown;
    std::optional<Stored> value;
    std::string output;
    Args args;  // after the call
    double seconds = 0;
  };

  /** serve mode: what one timed call left, kept until the next pass overwrites it. */
  struct Slot {
    std::optional<Stored> value;
    bool threw = false;
    const std::type_info* thrown = nullptr;
  };

  struct Labelled {
    const char* set;
    std::size_t index;
    const Args* args;
  };

 public:
  Harness(Plain program, Generators<Fn> generators) : program_(program), generators_(generators) {}

  [[noreturn]] void main() {
    if (program_ == nullptr) fail("internal", nullptr, "no program is linked into the harness executable");
    std::string data;
#if PERFLOOP_EXCEPTIONS
    try {
      data = runMode();
    } catch (...) {
      fail("internal", nullptr, "the harness failed: " + describeThrown(describeCurrentException()));
    }
#else
    data = runMode();
#endif
    finishWith(dataMembers() + data);
  }

 private:
  Plain program_;
  Generators<Fn> generators_;
  std::vector<Args> correctness_;
  std::vector<Args> performance_;  // performance_inputs(), or the sized input; empty when neither
  const char* performanceSet_ = "performance";
  bool correctnessFromPerformance_ = false;
  unsigned long long sizedN_ = 0;  // 0: no sized input used

  /** The result's members up to its data: `,"ok":true,"mode":…,"sizedN":…,"data":`. */
  std::string dataMembers() const {
    std::string members = ",\"ok\":true,\"mode\":";
    appendJsonString(members, gJob.mode);
    members += ",\"sizedN\":";
    if (sizedN_ > 0) members += std::to_string(sizedN_);
    else members += "null";
    members += ",\"data\":";
    return members;
  }

  std::string runMode() {
    if (modeIs("inputs")) return makeInputsFile();
    if (modeIs("workload")) return checkWorkload();
    if (modeIs("outcomes")) return outcomes();
    if (modeIs("serve")) serve();
    if (modeIs("count")) return runForCount();
    if (modeIs("memory")) return measureMemory();
    if (modeIs("complexity")) return measureComplexity();
    fail("internal", nullptr, std::string("unknown mode ") + gJob.mode);
  }

  static std::string reprOf(const Args& args, std::size_t limit = 400) { return Sig::repr(args, limit); }

  // -- calls --

  /** One call on a fresh copy of the input: what it returned or threw, printed, and left in its arguments. */
  Outcome invoke(Plain fn, const Args& input, bool capture) {
    Outcome outcome(input);
    if (capture) beginCapture();
    Clock::time_point start = Clock::now();
    PERFLOOP_TRY {
      if constexpr (kVoid) {
        Sig::call(opaque(fn), outcome.args);
      } else if constexpr (kIsCString<std::remove_cv_t<std::remove_reference_t<Rt>>>) {
        auto text = Sig::call(opaque(fn), outcome.args);
        Stored kept;
        if (text != nullptr) {
          kept.isNull = false;
          kept.text = text;
        }
        outcome.value.emplace(std::move(kept));
      } else {
        outcome.value.emplace(Sig::call(opaque(fn), outcome.args));
      }
    }
    PERFLOOP_CATCH_INTO(outcome.threw, outcome.thrown)
    outcome.seconds = secondsSince(start);
    if (capture) outcome.output = endCapture();
    return outcome;
  }

  /** A call whose result is dropped (kept alive until it is destroyed); true when it threw. */
  __attribute__((always_inline)) static bool callOnce(Plain fn, Args& args) {
    bool threw = false;
    PERFLOOP_TRY {
      if constexpr (kVoid) {
        Sig::call(opaque(fn), args);
      } else {
        decltype(auto) result = Sig::call(opaque(fn), args);
        keepAlive(result);
      }
    }
    PERFLOOP_CATCH_FLAG(threw)
    return threw;
  }

  /** The timing loop: loops × count calls, nothing else between the clock reads. Seconds per call. */
  __attribute__((noinline)) static double timeCalls(Plain fn, Args* items, std::size_t count, std::size_t loops) {
    Clock::time_point start = Clock::now();
    for (std::size_t loop = 0; loop < loops; loop++) {
      for (std::size_t i = 0; i < count; i++) callOnce(fn, items[i]);
    }
    Clock::time_point stop = Clock::now();
    return std::chrono::duration<double>(stop - start).count() / static_cast<double>(loops * count);
  }

  /** One side's samples: seconds per call over `loops` passes of the inputs (fresh copies when calls consume them). */
  struct Sampler {
    Plain fn;
    std::vector<Args>* inputs;
    bool fresh;
    std::vector<Args> batch;

    double operator()(std::size_t loops) {
      if (!fresh) return timeCalls(fn, inputs->data(), inputs->size(), loops);
      batch.clear();  // the copies are made (and the last sample's destroyed) before the clock starts
      batch.reserve(loops * inputs->size());
      for (std::size_t loop = 0; loop < loops; loop++) {
        for (const Args& input : *inputs) batch.push_back(input);
      }
      return timeCalls(fn, batch.data(), batch.size(), 1);
    }
  };

  // -- inputs --

  std::vector<Args> generate(const std::function<void(InputsFor<Fn>&)>& generator, const char* name) {
    InputsFor<Fn> inputs;
    writeProgress("workload", name, 0, "");
    bool threw = false;
    Thrown thrown;
    PERFLOOP_TRY { generator(inputs); }
    PERFLOOP_CATCH_INTO(threw, thrown)
    if (threw) fail("workload", "workload", std::string("the workload's ") + name + "() threw " + describeThrown(thrown));
    return std::move(inputs.perfloopItems());
  }

  /** sized_input(size)'s one input; empty, with the reason in `error`, when it throws or adds another number of inputs. */
  std::optional<Args> trySizedInput(std::size_t size, std::string& error) {
    InputsFor<Fn> inputs;
    writeProgress("workload", "sized", 0, "n = " + std::to_string(size));
    bool threw = false;
    Thrown thrown;
    PERFLOOP_TRY { generators_.sized(size, inputs); }
    PERFLOOP_CATCH_INTO(threw, thrown)
    std::string call = "sized_input(" + std::to_string(size) + ")";
    if (threw) {
      error = "the workload's " + call + " threw " + describeThrown(thrown);
      return std::nullopt;
    }
    if (inputs.size() != 1) {
      error = "the workload's " + call + " must add exactly one input (in.add(...) once); it added " + std::to_string(inputs.size());
      return std::nullopt;
    }
    return std::move(inputs.perfloopItems().front());
  }

  Args sizedInput(std::size_t size) {
    std::string error;
    std::optional<Args> input = trySizedInput(size, error);
    if (!input) fail("workload", "workload", error);
    return std::move(*input);
  }

  static double threadCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  }

  /**
   * CPU seconds of one call of the original on a copy of `input`, the cheaper of two (infinity when it throws): to choose
   * a sized n. CPU time, since a busy machine stretches wall time and n would shrink with the load.
   */
  double secondsOfOneCall(const Args& input, std::size_t size) {
    writeProgress("original", "sized", 0, "n = " + std::to_string(size) + ": " + reprOf(input, 300));
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < 2; i++) {
      Args copy = input;
      double start = threadCpuSeconds();
      if (callOnce(program_, copy)) return std::numeric_limits<double>::infinity();
      best = (std::min)(best, threadCpuSeconds() - start);
    }
    return best;
  }

  /** The size of the sized input: the job's, or doubled from complexityStartSize until one call takes `target` seconds. */
  std::size_t settleSizedN(double target) {
    if (gJob.sizedN > 0) return static_cast<std::size_t>(gJob.sizedN);
    std::size_t size = static_cast<std::size_t>(gJob.complexityStartSize);
    const std::size_t limit = static_cast<std::size_t>(gJob.maxSizedN);
    while (size < limit && secondsOfOneCall(sizedInput(size), size) < target) {
      if (size > (std::numeric_limits<std::size_t>::max)() / 2) break;
      size *= 2;
    }
    return (std::min)(size, limit);
  }

  /** Materialises the workload like the Python/JavaScript harnesses (calibrate = false in complexity mode). */
  void loadInputs(bool calibrate) {
    if (generators_.correctness) {
      correctness_ = generate(generators_.correctness, "correctness_inputs");
      if (correctness_.empty()) {
        fail("workload", "workload", "the workload's correctness_inputs() added no inputs: call in.add(...) once per input");
      }
    }
    if (generators_.performance) performance_ = generate(generators_.performance, "performance_inputs");
    if (performance_.empty() && generators_.sized && calibrate) {
      std::size_t size = settleSizedN(gJob.perfCallSeconds);
      performance_.push_back(sizedInput(size));
      performanceSet_ = "sized";
      sizedN_ = size;
    } else if (generators_.sized && calibrate) {
      // Fixed performance inputs: a size of about their cost still matters, for the fresh inputs timing workers draw to
      // tell a cache of results from one-time costs and to look for the timed speedup elsewhere (freshInputs).
      double total = 0;
      for (const Args& input : performance_) {
        Args copy = input;
        double start = threadCpuSeconds();
        callOnce(program_, copy);
        total += threadCpuSeconds() - start;
      }
      sizedN_ = settleSizedN(total / static_cast<double>(performance_.size()));
    }
    if (correctness_.empty()) {
      if (generators_.sized) {
        for (std::size_t size : kSmallSizes) correctness_.push_back(sizedInput(size));
      } else if (!performance_.empty()) {
        correctness_ = performance_;
        correctnessFromPerformance_ = true;
      }
    }
    if (correctness_.empty()) {
      fail("workload", "workload", "the workload produced no inputs: define correctness_inputs(perfloop::Inputs& in) and call in.add(...) in it");
    }
  }

  std::vector<Labelled> labelled() const {
    std::vector<Labelled> all;
    for (std::size_t i = 0; i < correctness_.size(); i++) all.push_back({"correctness", i, &correctness_[i]});
    if (!correctnessFromPerformance_) {
      for (std::size_t i = 0; i < performance_.size(); i++) all.push_back({performanceSet_, i, &performance_[i]});
    }
    return all;
  }

  /** The inputs time, count and memory use: the performance inputs, else the correctness inputs. */
  std::vector<Args>& measuredInputs(const char*& set) {
    if (!performance_.empty()) {
      set = performanceSet_;
      return performance_;
    }
    set = "correctness";
    return correctness_;
  }

  // -- workload --

  // -- inputs (the generator apart from the code under test) --

  /** Wraps the generators to keep what they make: the `inputs` mode's file, and the workload check's round trip. */
  std::shared_ptr<MadeInputs<Args>> recordGenerators() {
    auto made = std::make_shared<MadeInputs<Args>>();
    if (auto correctness = generators_.correctness) {
      made->hasCorrectness = true;
      generators_.correctness = [made, correctness](InputsFor<Fn>& in) {
        correctness(in);
        made->correctness = in.perfloopItems();
      };
    }
    if (auto performance = generators_.performance) {
      made->hasPerformance = true;
      generators_.performance = [made, performance](InputsFor<Fn>& in) {
        performance(in);
        made->performance = in.perfloopItems();
      };
    }
    if (auto sized = generators_.sized) {
      made->hasSized = true;
      generators_.sized = [made, sized](std::size_t size, InputsFor<Fn>& in) {
        made->sized.emplace_back(size, std::nullopt);
        const std::size_t at = made->sized.size() - 1;
        sized(size, in);  // a throw leaves the entry empty
        made->sized[at].second = in.perfloopItems();
      };
    }
    return made;
  }

  /**
   * `inputs` mode, in an executable with the generator and the original only: what every side's mode draws from the
   * generators for this job's seed and sized n (the inputs, and the fresh and warm-up inputs of timing workers and count
   * runs), written to the job's inputsFile, or why they cannot be data ({"besideCode": reason}).
   */
  std::string makeInputsFile() {
    if (gJob.inputsFile == nullptr) fail("internal", nullptr, "the inputs job names no inputsFile");
    std::shared_ptr<MadeInputs<Args>> made = recordGenerators();
    loadInputs(true);
    if (sizedN_ > 0 && generators_.sized) {
      freshInputs();
      std::string ignored;
      trySizedInput(static_cast<std::size_t>(freshSize() + 1), ignored);  // warmAtFreshScale's
    }
    std::string why = besideCodeReason<Sig>(*made);
    if (!why.empty()) return "{\"besideCode\":" + jsonString(why) + "}";
    const std::string bytes = encodeMadeInputs(*made);
    if (!writeWholeFile(gJob.inputsFile, bytes)) fail("internal", nullptr, std::string("cannot write the inputs file: ") + std::strerror(errno));
    return "{\"written\":" + std::to_string(bytes.size()) + "}";
  }

  std::string checkWorkload() {
    std::shared_ptr<MadeInputs<Args>> made = gJob.inputsApart ? recordGenerators() : nullptr;
    loadInputs(true);
    openCapture();
    bool mutates = false;
    std::size_t raised = 0;
    for (const Labelled& item : labelled()) {
      writeProgress("original", item.set, item.index, reprOf(*item.args, 300));
      Outcome outcome = invoke(program_, *item.args, true);
      if (outcome.threw) raised++;
      // The same rule as the comparison of two sides' outcomes: the snapshots of what the call may change.
      if (Sig::snapshotArguments(outcome.args, true) != Sig::snapshotArguments(*item.args, true)) mutates = true;
    }
    std::string out = "{\"correctnessCount\":" + std::to_string(correctness_.size());
    out += ",\"performanceCount\":" + std::to_string(correctnessFromPerformance_ ? correctness_.size() : performance_.size());
    out += ",\"sizeable\":";
    out += generators_.sized ? "true" : "false";
    // The n of sized_input(n) when that made the timed input: the size the figures hold at.
    if (std::string_view(performanceSet_) == "sized" && sizedN_ > 0) out += ",\"timedSizedN\":" + std::to_string(sizedN_);
    out += ",\"examples\":[";
    for (std::size_t i = 0; i < correctness_.size() && i < kExamples; i++) {
      if (i > 0) out += ',';
      appendJsonString(out, reprOf(correctness_[i], 200));
    }
    out += "],\"originalMutatesArguments\":";
    out += mutates ? "true" : "false";
    out += ",\"originalRaisedOn\":" + std::to_string(raised);
    if (made) {
      std::string why = besideCodeReason<Sig>(*made);
      if (!why.empty()) out += ",\"generatorBesideCode\":" + jsonString(why);
    }
    out += '}';
    return out;
  }

  // -- outcomes --

  /** Which side this process runs (outcomes and serve modes), as progress reports name it. */
  static const char* sideName() { return gJob.side != nullptr ? gJob.side : "program"; }

  /** A digest of the inputs this process made: both sides must have made the same (profilers/judge/outcomes.ts). */
  std::string inputsDigest() const {
    Sha256 hash;
    auto add = [&](std::string_view text) {
      hash.update(text);
      hash.update("\n");
    };
    for (const Args& input : correctness_) add(Sig::snapshotArguments(input, false));
    add("|");
    if (!correctnessFromPerformance_) {
      for (const Args& input : performance_) add(Sig::snapshotArguments(input, false));
    }
    return hash.hex();
  }

  /** The fields every outcome of an input has (profilers/judge/outcomes.ts, callOutcome), without the closing brace. */
  std::string outcomeHead(const Labelled& item, const Args& after, const std::string& input) const {
    std::string out = "{\"set\":";
    appendJsonString(out, std::strcmp(item.set, "correctness") == 0 ? "correctness" : "performance");
    out += ",\"index\":" + std::to_string(item.index);
    out += ",\"input\":";
    appendJsonString(out, input);
    out += ",\"inputSize\":" + std::to_string(Sig::size(*item.args));
    out += ",\"args\":";
    appendJsonString(out, Sig::snapshotArguments(after, true));
    out += ",\"argsRepr\":";
    appendJsonString(out, reprOf(after));
    return out;
  }

  std::string outcomeRecord(const Labelled& item, const Outcome& outcome, const std::string& input) const {
    std::string out = outcomeHead(item, outcome.args, input);
    out += ",\"stdout\":";
    appendJsonString(out, outcome.output);
    out += ",\"seconds\":";
    appendJsonNumber(out, outcome.seconds);
    if (outcome.threw) {
      std::string message = outcome.thrown.what.substr(0, kMessageLimit);
      out += ",\"status\":\"raised\",\"error\":{\"type\":";
      appendJsonString(out, outcome.thrown.type);
      out += ",\"message\":";
      appendJsonString(out, message);
      out += '}';
    } else {
      out += ",\"status\":\"returned\",\"value\":";
      appendJsonString(out, outcome.value ? snapshotOf(*outcome.value) : std::string("null"));
      out += ",\"valueRepr\":";
      appendJsonString(out, outcome.value ? repr(*outcome.value) : std::string("void"));
    }
    out += '}';
    return out;
  }

  /**
   * One side of a comparison: this process's program on every input (correctness, then performance), each on a fresh
   * copy, reported as data for Perfloop to compare with the other side's report. With `limits`, a call that runs past
   * its input's limit ends the report there, as a timeout.
   */
  std::string outcomes() {
    loadInputs(true);
    openCapture();
    const std::vector<double> limits = parseLimits(gJob.limits);
    std::string records;
    const std::string head = resultEnvelope() + dataMembers() + "{\"outcomes\":[";
    const std::string tail = "],\"stateGrowth\":[],\"lazyResults\":false,\"inputsDigest\":\"" + inputsDigest() + "\"}";
    const std::string close = tail + "}";
    std::size_t checked = 0;
    for (const Labelled& item : labelled()) {
      const std::string input = reprOf(*item.args);
      writeProgress(sideName(), item.set, item.index, reprOf(*item.args, 300));
      const double limit = checked < limits.size() ? limits[checked] : 0;
      std::string timeout;
      if (limit > 0) {
        timeout = (records.empty() ? "" : ",") + outcomeHead(item, *item.args, input) + ",\"stdout\":\"\",\"seconds\":";
        appendJsonNumber(timeout, limit);
        timeout += ",\"status\":\"timeout\"}";
        gDeadline = DeadlineReport{{head.data(), records.data(), timeout.data(), close.data()},
                                   {head.size(), records.size(), timeout.size(), close.size()},
                                   gJob.resultPath};
        std::signal(SIGALRM, writeDeadlineReport);
        armDeadline(limit);
      }
      std::srand(static_cast<unsigned>(gJob.seed * 7919 + checked));
      Outcome outcome = invoke(program_, *item.args, true);
      if (limit > 0) disarmDeadline();
      if (!records.empty()) records += ',';
      records += outcomeRecord(item, outcome, input);
      checked++;
    }
    std::string data = "{\"outcomes\":[" + records + tail;
    return data;
  }

  // -- serve --

  /** How many fresh copies one sample may pre-build (bounded in calls and in elements). */
  static std::size_t maxFreshLoops(const std::vector<Args>& inputs, std::size_t callLimit) {
    std::size_t elements = 0;
    for (const Args& input : inputs) elements += (std::max)(std::size_t{1}, Sig::size(input));
    std::size_t byCalls = (std::max)(std::size_t{1}, callLimit / (std::max)(std::size_t{1}, inputs.size()));
    std::size_t byElements = (std::max)(std::size_t{1}, kMaxPrebuiltElements / (std::max)(std::size_t{1}, elements));
    return (std::min)(byCalls, byElements);
  }

  /** One timed call, its result kept in its slot (the slot's last result is destroyed by the assignment). */
  __attribute__((always_inline)) static void storeCall(Plain fn, Args& args, Slot& slot) {
    slot.threw = false;
    PERFLOOP_TRY {
      if constexpr (kVoid) {
        Sig::call(opaque(fn), args);
      } else if constexpr (kIsCString<std::remove_cv_t<std::remove_reference_t<Rt>>>) {
        auto text = Sig::call(opaque(fn), args);
        Stored kept;
        if (text != nullptr) {
          kept.isNull = false;
          kept.text = text;
        }
        slot.value = std::move(kept);
      } else {
        slot.value.emplace(Sig::call(opaque(fn), args));
      }
    }
    PERFLOOP_CATCH_TYPE(slot.threw, slot.thrown)
  }

  /** The timed loop: `loops` passes over the inputs (fresh copies one after another), nothing else between the clock reads. */
  __attribute__((noinline)) static long long timePasses(Plain fn, Args* items, std::size_t count, std::size_t loops, bool fresh, Slot* slots) {
    Clock::time_point start = Clock::now();
    for (std::size_t loop = 0; loop < loops; loop++) {
      Args* pass = fresh ? items + loop * count : items;
      for (std::size_t i = 0; i < count; i++) storeCall(fn, pass[i], slots[i]);
    }
    Clock::time_point stop = Clock::now();
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
  }

  /** The fresh inputs' size: near the settled one but never it (the rule and its reasons: timingCoordinator.ts, "caching"). */
  unsigned long long freshSize() const {
    const unsigned long long n = sizedN_;
    return n >= 2 ? n - 1 - gJob.seed % (std::max)(1ull, n / 50) : n + 1;
  }

  /**
   * Performance inputs never timed before, for the coordinator's cache probe: the sized input at a size near the timed
   * one (the rule and its reasons: timingCoordinator.ts, "caching"). None without a sized input or when it fails there.
   */
  std::vector<Args> freshInputs() {
    if (sizedN_ == 0 || !generators_.sized) return {};
    std::string error;
    std::optional<Args> input = trySizedInput(static_cast<std::size_t>(freshSize()), error);
    if (!input) return {};
    std::vector<Args> inputs;
    inputs.push_back(std::move(*input));
    return inputs;
  }

  /**
   * One call at the fresh inputs' scale before the greeting (a size next to theirs, so other values even from a generator
   * that ignores the seed): with fixed performance inputs nothing else has touched memory of that size, and the page
   * faults of a first allocation would make the first fresh pass look dearer than the second, as a cache does.
   */
  void warmAtFreshScale() {
    std::string error;
    std::optional<Args> input = trySizedInput(static_cast<std::size_t>(freshSize() + 1), error);
    if (input) callOnce(program_, *input);
  }

  static std::string resultText(const Slot& slot) {
    if (!slot.threw) return slot.value ? snapshotOf(*slot.value) : std::string("null");
    return "{\"t\":\"raised\",\"c\":" + jsonString(slot.thrown != nullptr ? demangle(slot.thrown->name()) : "unknown exception") + "}";
  }

  /**
   * The timing worker of one side (profilers/judge/timingCoordinator.ts drives it on fd 4, one JSON line each way):
   *   greeting                 {"ready":true,"inputs":m,"maxLoops":L,"clock":"std::chrono::steady_clock","inputsDigest":"…","fresh":b}
   *   {"op":"run","loops":L}   copies the inputs L times when calls change or consume them; replies {"prepared":true}
   *                            ("fresh":true: one pass over the fresh inputs instead, when the greeting said it can)
   *   {"op":"go"}              runs L passes over the performance inputs; replies {"ns":N}
   *   {"op":"digest"}          a SHA-256 of each result of the last pass (and of its arguments when copies were made);
   *                            ("fresh":true: of the last fresh pass)
   *   {"op":"snap","index":i}  that result and its arguments in full: {"value":"<snapshot>","args":"<snapshot>"}
   *                            ("fresh":true: of the last fresh pass)
   * and exits at the end of the channel. Nothing here is trusted: the coordinator checks the times against the kernel's
   * accounting and the results against the other side's.
   */
  [[noreturn]] void serve() {
    loadInputs(true);
    const std::string digest = inputsDigest();
    const char* set = nullptr;
    std::vector<Args>& inputs = measuredInputs(set);
    std::vector<Args> fresh = freshInputs();
    const std::size_t count = inputs.size();
    const bool copying = gJob.mutatesArguments || Sig::kConsumes;
    const std::size_t maxLoops = copying ? maxFreshLoops(inputs, kMaxPrebuiltCalls) : kMaxLoops;
    writeProgress(sideName(), set, 0, reprOf(inputs.front(), 300));
    std::signal(SIGPIPE, SIG_IGN);
    silenceStdout();
    std::srand(static_cast<unsigned>(gJob.seed));
    if (!fresh.empty()) warmAtFreshScale();
    Channel channel(kChannelFd);
    std::vector<Slot> slots(count);
    std::vector<Slot> freshSlots(fresh.size());
    std::vector<Args> batch;
    std::vector<Args> freshBatch;
    const Args* lastPass = inputs.data();
    Args* lastFreshPass = fresh.data();
    std::string line;
    bool talking = channel.send("{\"ready\":true,\"inputs\":" + std::to_string(count) + ",\"maxLoops\":" + std::to_string(maxLoops) +
                                ",\"clock\":\"std::chrono::steady_clock\",\"inputsDigest\":\"" + digest + "\",\"fresh\":" +
                                (fresh.empty() ? "false" : "true") + "}");
    while (talking && channel.next(line)) {
      const std::string op = messageOp(line);
      const bool ofFresh = !fresh.empty() && messageFlag(line, "fresh");
      if (op == "run" && ofFresh) {
        if (copying) freshBatch = fresh;  // copied here, not while the clock runs
        if (!channel.send("{\"prepared\":true}") || !channel.next(line) || messageOp(line) != "go") break;
        lastFreshPass = copying ? freshBatch.data() : fresh.data();
        const long long ns = timePasses(program_, lastFreshPass, fresh.size(), 1, false, freshSlots.data());
        talking = channel.send("{\"ns\":" + std::to_string(ns) + "}");
      } else if (op == "run") {
        const std::size_t loops = static_cast<std::size_t>((std::max)(1ull, (std::min)(messageNumber(line, "loops"), static_cast<unsigned long long>(maxLoops))));
        if (copying) {
          batch.clear();  // the last sample's copies are destroyed here, not while the clock runs
          batch.reserve(loops * count);
          for (std::size_t loop = 0; loop < loops; loop++) batch.insert(batch.end(), inputs.begin(), inputs.end());
        }
        if (!channel.send("{\"prepared\":true}") || !channel.next(line) || messageOp(line) != "go") break;
        const long long ns = timePasses(program_, copying ? batch.data() : inputs.data(), count, loops, copying, slots.data());
        lastPass = copying ? batch.data() + (loops - 1) * count : inputs.data();
        talking = channel.send("{\"ns\":" + std::to_string(ns) + "}");
      } else if (op == "digest") {
        const std::vector<Slot>& results = ofFresh ? freshSlots : slots;
        const Args* pass = ofFresh ? lastFreshPass : lastPass;
        std::string reply = "{\"digests\":[";
        for (std::size_t i = 0; i < results.size(); i++) {
          if (i > 0) reply += ',';
          const std::string value = resultText(results[i]);
          reply += '"';
          reply += copying ? digestOf({value, Sig::snapshotArguments(pass[i], true)}) : digestOf({value});
          reply += '"';
        }
        talking = channel.send(reply + "]}");
      } else if (op == "snap") {
        const std::vector<Slot>& results = ofFresh ? freshSlots : slots;
        const Args* pass = ofFresh ? lastFreshPass : lastPass;
        const unsigned long long index = messageNumber(line, "index");
        if (index >= results.size()) break;
        talking = channel.send("{\"value\":" + jsonString(resultText(results[index])) + ",\"args\":" +
                               jsonString(Sig::snapshotArguments(pass[index], true)) + "}");
      } else {
        break;
      }
    }
    std::fflush(nullptr);
    ::_exit(0);
  }

  // -- count --

  /**
   * One call per input (job.calls rounds): run under valgrind or perf, the runner subtracts a run with calls = 0.
   * Both runs do everything else alike (inputs, copies, the one progress write, a warm pass) and nothing
   * timing-dependent. The warm pass pays one-time costs (first page faults, lazily built tables) in both runs, on inputs
   * the counted calls never saw (the sized input at a neighbouring size; else the correctness inputs).
   */
  std::string runForCount() {
    loadInputs(true);
    const char* set = nullptr;
    std::vector<Args> copies = measuredInputs(set);
    writeProgress("program", set, 0, reprOf(copies.front(), 300));
    std::vector<Args> warm = freshInputs();
    if (warm.empty()) warm = correctness_;
    for (Args& args : warm) callOnce(program_, args);
    std::size_t raised = 0;
    if (gJob.results && gJob.calls > 0) {
      // The results of the calls counted, serialised after them as the timing worker does (`digest`): the runner checks
      // them against the original's and subtracts the serialising, measured on the original.
      std::vector<Slot> slots(copies.size());
      for (unsigned long long round = 0; round < gJob.calls; round++) {
        for (std::size_t i = 0; i < copies.size(); i++) {
          storeCall(program_, copies[i], slots[i]);
          if (slots[i].threw) raised++;
        }
      }
      std::string results = "[";
      for (std::size_t i = 0; i < slots.size(); i++) {
        if (i > 0) results += ',';
        results += "{\"value\":" + jsonString(resultText(slots[i])) + ",\"args\":" + jsonString(Sig::snapshotArguments(copies[i], true)) + "}";
      }
      return "{\"calls\":" + std::to_string(static_cast<unsigned long long>(gJob.calls) * copies.size()) + ",\"raised\":" + std::to_string(raised) +
             ",\"results\":" + results + "]}";
    }
    for (unsigned long long round = 0; round < gJob.calls; round++) {
      for (Args& args : copies) {
        if (callOnce(program_, args)) raised++;
      }
    }
    return "{\"calls\":" + std::to_string(static_cast<unsigned long long>(gJob.calls) * copies.size()) + ",\"raised\":" + std::to_string(raised) + "}";
  }

  // -- memory --

  /** Peak heap growth during one call per input (perfloop_alloc.cpp's tracker), and the process's peak RSS. */
  std::string measureMemory() {
    loadInputs(true);
    const char* set = nullptr;
    std::vector<Args>& inputs = measuredInputs(set);
    const bool tracked = &perfloop_alloc_current != nullptr && &perfloop_alloc_peak != nullptr && &perfloop_alloc_reset_peak != nullptr;
    long long peakBytes = 0;
    for (std::size_t i = 0; i < inputs.size(); i++) {
      Args copy = inputs[i];
      writeProgress("program", set, i, reprOf(copy, 300));
      long long before = 0, peak = 0;
      if (tracked) {
        before = perfloop_alloc_current();
        perfloop_alloc_reset_peak();
      }
      callOnce(program_, copy);  // the result is destroyed inside: the peak saw it
      if (tracked) peak = perfloop_alloc_peak();
      peakBytes = (std::max)(peakBytes, peak - before);
    }
    struct rusage usage;
    std::memset(&usage, 0, sizeof usage);
    ::getrusage(RUSAGE_SELF, &usage);
    std::string out = "{\"peakBytes\":" + std::to_string(peakBytes);
    out += ",\"maxRssBytes\":" + std::to_string(static_cast<long long>(usage.ru_maxrss) * 1024);
    out += ",\"tracked\":";
    out += tracked ? "true" : "false";
    out += '}';
    return out;
  }

  // -- complexity --

  /** Seconds per call on one input: repeated until a measurement lasts ~5 ms, best of three. */
  double secondsPerCall(const Args& input, bool fresh, double limitSeconds) {
    std::vector<Args> inputs{input};
    Sampler sample{program_, &inputs, fresh, {}};
    double first = sample(1);
    if (first > limitSeconds) return first;
    double wanted = std::ceil(0.005 / (std::max)(first, 1e-9));
    std::size_t loops = wanted >= static_cast<double>(kMaxLoops) ? kMaxLoops : (std::max)(std::size_t{1}, static_cast<std::size_t>(wanted));
    if (fresh) loops = (std::min)(loops, maxFreshLoops(inputs, 1000));
    double best = std::numeric_limits<double>::infinity();
    for (int round = 0; round < 3; round++) best = (std::min)(best, sample(loops));
    return best;
  }

  /**
   * Calls faster than this measure call overhead, not growth (as in the Python and JavaScript harnesses): they do not
   * count towards maxPoints, and are dropped when at least three slower sizes were measured.
   */
  static constexpr double kMinGrowthSeconds = 50e-6;
  static constexpr std::size_t kMaxComplexitySize = std::size_t{1} << 26;

  std::string measureComplexity() {
    loadInputs(false);
    std::vector<std::pair<std::size_t, double>> measured;
    if (generators_.sized) {
      Clock::time_point started = Clock::now();
      const bool fresh = gJob.mutatesArguments || Sig::kConsumes;
      std::size_t meaningful = 0;
      for (std::size_t size = static_cast<std::size_t>(gJob.complexityStartSize);
           meaningful < gJob.maxPoints && size <= kMaxComplexitySize && secondsSince(started) < gJob.budgetSeconds; size *= 2) {
        Args input = sizedInput(size);
        writeProgress("program", "sized", measured.size(), "n = " + std::to_string(size) + ": " + reprOf(input, 300));
        double seconds = secondsPerCall(input, fresh, gJob.maxSecondsPerCall);
        measured.emplace_back(size, seconds);
        if (seconds >= kMinGrowthSeconds) meaningful++;
        if (seconds > gJob.maxSecondsPerCall) break;
      }
      if (meaningful >= 3) {
        measured.erase(std::remove_if(measured.begin(), measured.end(), [](const auto& p) { return p.second < kMinGrowthSeconds; }), measured.end());
      } else if (measured.size() > gJob.maxPoints) {
        measured.erase(measured.begin(), measured.end() - static_cast<std::ptrdiff_t>(gJob.maxPoints));
      }
    }
    std::string out = "{\"points\":[";
    for (std::size_t i = 0; i < measured.size(); i++) {
      if (i > 0) out += ',';
      out += "{\"size\":" + std::to_string(measured[i].first) + ",\"seconds\":";
      appendJsonNumber(out, measured[i].second);
      out += '}';
    }
    out += "]}";
    return out;
  }
};

}  // namespace detail

/**
 * The harness's main: runs the job's mode on `program` (one per process: the original, or a candidate) with the
 * workload's generators, writes the result file and ends the process (it never returns).
 */
template <class Fn>
int run(int argc, char** argv, Fn program, Generators<Fn> generators) {
  detail::loadJob(argc, argv);
  detail::Harness<Fn> harness(program, generators);
  harness.main();
  return 0;  // not reached
}

/**
 * The main of a side's executable built without the generator (its inputs made apart): the inputs are the job's
 * inputsFile, which the `inputs` process wrote; a file that is missing or malformed is a workload error, not a crash.
 */
template <class Fn>
int runMadeApart(int argc, char** argv, Fn program) {
  using Args = typename detail::Signature<Fn>::Args;
  detail::loadJob(argc, argv);
  if (detail::gJob.inputsFile == nullptr) detail::fail("internal", nullptr, "this executable reads its inputs from a file, and the job names none");
  std::string bytes;
  if (!detail::readWholeFile(detail::gJob.inputsFile, bytes)) {
    detail::fail("workload", "workload", std::string("the inputs made apart from the code cannot be read: ") + std::strerror(errno));
  }
  auto made = std::make_shared<detail::MadeInputs<Args>>();
  const std::string error = detail::decodeMadeInputs(bytes, *made);
  if (!error.empty()) detail::fail("workload", "workload", "the inputs file made apart from the code is malformed: " + error);
  detail::Harness<Fn> harness(program, detail::replayedGenerators<Fn, Args>(made));
  harness.main();
  return 0;  // not reached
}

}  // namespace perfloop

#endif  // PERFLOOP_HARNESS_HPP
