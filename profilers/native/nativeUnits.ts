/**
 * The translation units of a split program (README.md, "How a program becomes an executable"): each side's unit, the
 * harness unit's prelude, the harness's entry expressions, and a function template's probe.
 */
import { CANDIDATE_ENTRY, entryDefinition, ORIGINAL_ENTRY, TYPE_ALIAS } from './nativeMethod.js';
import { escapeCString } from './nativeSyntax.js';
import type { Chunk, NativeDialect, SplitProgram } from './nativeTarget.js';

function lineDirective(line: number, fileName: string | undefined): string[] {
  return fileName === undefined ? [] : [`#line ${line} "${escapeCString(fileName)}"`];
}

/** `namespace a { namespace b {` lines and the matching closing braces, optionally with extra lines inside each level. */
function opening(namespacePath: readonly string[], inside: (level: number) => string[] = () => []): { open: string[]; close: string[] } {
  const open: string[] = [];
  namespacePath.forEach((name, i) => {
    open.push(`namespace ${name} {`, ...inside(i));
  });
  return { open, close: namespacePath.map(() => '}') };
}

function emit(chunk: Chunk, fileName: string | undefined, open: string[] = [], close: string[] = []): string {
  return [...open, ...lineDirective(chunk.line, fileName === undefined ? undefined : (chunk.file ?? fileName)), chunk.text, ...close].join('\n');
}

/** A shared/include chunk in C++: its namespaces and linkage reopened. */
function emitShared(chunk: Chunk, fileName: string | undefined): string {
  const { open, close } = opening(chunk.namespacePath);
  if (chunk.linkage) {
    open.push(`extern ${chunk.linkage} {`);
    close.unshift('}');
  }
  return emit(chunk, fileName, open, close);
}

/** Inside `perfloop_<side>`: namespaces reopened, each seeing the shared declarations of the real one. */
function perSideOpening(namespacePath: readonly string[]): { open: string[]; close: string[] } {
  return opening(namespacePath, (level) => [`using namespace ::${namespacePath.slice(0, level + 1).join('::')};`]);
}

/** `namespace a { namespace b {} }` for every path, so that `using namespace ::a::b;` always names a namespace. */
function declareNamespaces(paths: readonly (readonly string[])[], prefix = ''): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paths) {
    if (p.length === 0) continue;
    const key = p.join('::');
    if (seen.has(key)) continue;
    seen.add(key);
    const body = p.map((n) => `namespace ${n} {`).join(' ') + ' ' + p.map(() => '}').join(' ');
    out.push(prefix ? `namespace ${prefix} { ${body} }` : body);
  }
  return out;
}

/**
 * One side's translation unit (README.md): C++ — includes, shared, `namespace perfloop_<side> { perSide }`, then (with
 * `withSharedDefinitions`) the shared definitions — after the per-side code, not before as README.md first had it, so
 * that methods can call the file's functions (brought back by using-declarations, and `namespace a { using namespace
 * ::perfloop_<side>::a; }`) — then a reference that keeps an out-of-line copy of the target (constexpr/inline targets); C — includes, `#define NAME perfloop_<side>_NAME` for every
 * per-side name, shared, perSide. `#line` directives point every chunk at `fileName`.
 */
export function assembleProgramUnit(
  split: SplitProgram,
  dialect: NativeDialect,
  side: 'original' | 'candidate',
  withSharedDefinitions: boolean,
  fileName: string,
  instance?: string,
): string {
  const space = `perfloop_${side}`;
  const out: string[] = [`/* Perfloop: the ${side} side of ${fileName.replace(/\*\//g, '*_/')} */`];
  if (dialect === 'c') {
    out.push(...split.includes.map((c) => emit(c, fileName)));
    out.push('#line 1 "<perfloop>"', ...split.perSideNames.map((name) => `#define ${name} ${space}_${name}`));
    out.push(...split.shared.map((c) => emit(c, fileName)));
    if (withSharedDefinitions) out.push(...split.sharedDefinitions.map((c) => emit(c, fileName)));
    out.push(...split.perSide.map((c) => emit(c, fileName)));
    return `${out.join('\n')}\n`;
  }
  out.push(...split.includes.map((c) => emitShared(c, fileName)));
  if (split.method) out.push('#line 1 "<perfloop>"', TYPE_ALIAS);
  out.push(...split.shared.map((c) => emitShared(c, fileName)));
  out.push('#line 1 "<perfloop>"', ...declareNamespaces([...split.perSide.map((c) => c.namespacePath), split.namespacePath]));
  out.push(`namespace ${space} {`);
  for (const chunk of split.perSide) {
    const { open, close } = perSideOpening(chunk.namespacePath);
    out.push(emit(chunk, fileName, open, close));
  }
  out.push(`} // namespace ${space}`);
  const definitions = [...(withSharedDefinitions ? split.sharedDefinitions : []), ...split.sideDefinitions];
  if (definitions.length > 0) {
    // Member definitions may call the file's functions, which now live in perfloop_<side>: file-scope ones are brought
    // back by using-declarations, and each namespace `a` gets `using namespace ::perfloop_<side>::a;` (a directive at
    // file scope would make `a` itself ambiguous).
    const names = new Set<string>();
    const paths: string[][] = [];
    for (const chunk of split.perSide) {
      for (let level = 1; level <= chunk.namespacePath.length; level++) paths.push(chunk.namespacePath.slice(0, level));
      // Names from preprocessor branches may not exist.
      if (chunk.namespacePath.length === 0 && !chunk.conditional) for (const name of chunk.names ?? []) names.add(name);
    }
    const seen = new Set<string>();
    const directives = paths.flatMap((p) => {
      const key = p.join('::');
      if (seen.has(key)) return [];
      seen.add(key);
      return [`${p.map((n) => `namespace ${n} {`).join(' ')} using namespace ::${space}::${key}; ${p.map(() => '}').join(' ')}`];
    });
    out.push('#line 1 "<perfloop>"', ...[...names].map((name) => `using ::${space}::${name};`), ...directives);
    out.push(...definitions.map((c) => emitShared(c, fileName)));
  }
  if (split.method) {
    // The method is a member already: this side's entry point calls it (README.md, "Methods").
    const { open, close } = opening(split.method.namespacePath);
    out.push('#line 1 "<perfloop>"', ...open, entryDefinition(split.method, side), ...close);
    return `${out.join('\n')}\n`;
  }
  const keep = perSideOpening(split.namespacePath);
  const name = split.qualifiedName.split('::').at(-1) ?? split.qualifiedName;
  out.push(
    '#line 1 "<perfloop>"',
    `namespace ${space} {`,
    ...keep.open,
    ...(split.template
      ? // Taking the instance's address instantiates it here; the harness reads the address from this variable.
        [`extern auto* const perfloop_entry = &${name}<${templateInstance(split, instance)}>;`]
      : [
          `using perfloop_target_type = ${split.signature.functionType};`,
          `[[gnu::used]] static perfloop_target_type* const perfloop_keep = &${name};`,
        ]),
    ...keep.close,
    '}',
  );
  return `${out.join('\n')}\n`;
}

function templateInstance(split: SplitProgram, instance: string | undefined): string {
  if (instance === undefined) throw new Error(`the template \`${split.qualifiedName}\` needs its instance (the workload's template arguments) to be built`);
  return instance;
}

/**
 * The harness translation unit (always C++) up to, not including, `#include "perfloop_harness.hpp"`: the includes,
 * the shared parts, and the two prototypes — C++: in `perfloop_original` and (weak) `perfloop_candidate`; C: in an
 * `extern "C"` block, renamed `perfloop_original_NAME` / `perfloop_candidate_NAME`. `fileName` adds `#line` directives.
 */
export function assembleHarnessPrelude(split: SplitProgram, dialect: NativeDialect, fileName?: string, instance?: string): string {
  const name = split.qualifiedName.split('::').at(-1) ?? split.qualifiedName;
  const out: string[] = [];
  const prototypeLine = (): string[] => lineDirective(split.targetLine, fileName);
  if (dialect === 'c') {
    // C spellings C++ lacks (the user's headers may use them too).
    out.push('#ifndef restrict', '#define restrict __restrict', '#endif', '#ifndef _Bool', '#define _Bool bool', '#endif');
    out.push(...split.includes.map((c) => emit(c, fileName)));
    out.push(...split.shared.map((c) => emit(c, fileName)));
    out.push(
      'extern "C" {',
      `#define ${name} perfloop_original_${name}`,
      ...prototypeLine(),
      split.signature.prototype,
      `#undef ${name}`,
      `#define ${name} perfloop_candidate_${name}`,
      ...prototypeLine(),
      `__attribute__((weak)) ${split.signature.prototype}`,
      `#undef ${name}`,
      '}',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(...split.includes.map((c) => emitShared(c, fileName)));
  if (split.method) {
    // The class declares the entry points: nothing else to declare.
    out.push('#line 1 "<perfloop>"', TYPE_ALIAS, ...split.shared.map((c) => emitShared(c, fileName)));
    return `${out.join('\n')}\n`;
  }
  out.push(...split.shared.map((c) => emitShared(c, fileName)));
  out.push(...declareNamespaces([split.namespacePath]));
  for (const [space, weak] of [
    ['perfloop_original', ''],
    ['perfloop_candidate', '__attribute__((weak)) '],
  ] as const) {
    const { open, close } = perSideOpening(split.namespacePath);
    const declarations = split.template
      ? [`${split.template.head} ${split.signature.prototype}`, `extern ${weak}decltype(&${name}<${templateInstance(split, instance)}>) const perfloop_entry;`]
      : [`${weak}${split.signature.prototype}`];
    out.push(`namespace ${space} {`, ...open, ...prototypeLine(), ...declarations, ...close, '}');
  }
  return `${out.join('\n')}\n`;
}

/** What a template's probe needs besides the template: readable names of its arguments, and the report. */
const PROBE_SUPPORT = String.raw`#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <unistd.h>
namespace perfloop_probe_detail {
inline void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}
/** The type as C++ spells it, from __PRETTY_FUNCTION__ (GCC: "[with Tp = int]", Clang: "[Tp = int]"). */
template <class Tp> std::string type_name() {
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
  std::string name(pretty.substr(start, end - start));
  replace_all(name, "std::__cxx11::", "std::");
  replace_all(name, "std::__1::", "std::");
  replace_all(name, "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string");
  replace_all(name, "std::basic_string<char>", "std::string");
  return name;
}
template <class Tv> std::string value_text(Tv value) {
  if constexpr (std::is_same_v<Tv, bool>) return value ? "true" : "false";
  else if constexpr (std::is_enum_v<Tv>) return "static_cast<" + type_name<Tv>() + ">(" + std::to_string(static_cast<long long>(value)) + "LL)";
  else if constexpr (std::is_integral_v<Tv> && std::is_signed_v<Tv>) return "(" + std::to_string(static_cast<long long>(value)) + "LL)";
  else if constexpr (std::is_integral_v<Tv>) return std::to_string(static_cast<unsigned long long>(value)) + "ULL";
  else return "?";
}
[[noreturn]] inline void report(std::initializer_list<std::string> arguments) {
  std::string line = "\nPERFLOOP-INSTANCE ";
  const char* separator = "";
  for (const std::string& argument : arguments) line += separator + argument, separator = ", ";
  line += '\n';
  std::fflush(stdout);
  if (::write(1, line.data(), line.size()) < 0) ::_exit(2);
  ::_exit(0);
}
}  // namespace perfloop_probe_detail`;

/**
 * A function template's probe (README.md, "Function templates"): the template, declared with a body that prints its
 * template arguments and ends the process, called by the workload's first `in.add(...)` — so they are deduced as in a
 * call. The runner then builds both sides and the harness with that instance.
 */
export function assembleTemplateProbe(split: SplitProgram, fileName: string, workload: string, workloadName: string): string {
  const shape = split.template;
  if (!shape) throw new Error('assembleTemplateProbe: the target is not a template');
  const name = split.qualifiedName.split('::').at(-1) ?? split.qualifiedName;
  const report = shape.parameters.map(
    (p) => `${p.kind === 'type' ? `::perfloop_probe_detail::type_name<${p.name}>()` : `::perfloop_probe_detail::value_text(${p.name})`}${p.pack ? '...' : ''}`,
  );
  const { open, close } = perSideOpening(split.namespacePath);
  const callee = ['::perfloop_probe', ...split.namespacePath, name].join('::');
  return [
    ...split.includes.map((c) => emitShared(c, fileName)),
    ...split.shared.map((c) => emitShared(c, fileName)),
    '#line 1 "<perfloop>"',
    PROBE_SUPPORT,
    ...declareNamespaces([split.namespacePath]),
    'namespace perfloop_probe {',
    ...open,
    ...lineDirective(split.targetLine, fileName),
    `${shape.head} ${split.signature.prototype.replace(/;$/, '')} { ::perfloop_probe_detail::report({${report.join(', ')}}); }`,
    ...close,
    '}',
    '#line 1 "<perfloop>"',
    'namespace perfloop {',
    'struct Inputs {',
    `  template <class... perfloop_As> void add(perfloop_As&&... perfloop_as) { ${callee}(static_cast<perfloop_As&&>(perfloop_as)...); }`,
    '  std::size_t size() const { return 0; }',
    '};',
    '}',
    `#line 1 ${JSON.stringify(workloadName)}`,
    workload,
    '#line 1 "perfloop-probe-main.cpp"',
    'int main() { perfloop::Inputs in; correctness_inputs(in); std::puts("\\nPERFLOOP-NO-INPUTS"); return 0; }',
    '',
  ].join('\n');
}

/** The harness's expressions for the two entry points: `&perfloop_original::ns::name`, or in C `&perfloop_original_name`. */
export function entryExpressions(split: SplitProgram, dialect: NativeDialect): { original: string; candidate: string } {
  if (dialect === 'c') {
    const name = split.qualifiedName;
    return { original: `&perfloop_original_${name}`, candidate: `&perfloop_candidate_${name}` };
  }
  if (split.method) {
    const cls = [...split.method.namespacePath, ...split.method.classPath].join('::');
    return { original: `&::${cls}::${ORIGINAL_ENTRY}`, candidate: `&::${cls}::${CANDIDATE_ENTRY}` };
  }
  if (split.template) {
    const at = ['', ...split.namespacePath, 'perfloop_entry'].join('::');
    return { original: `perfloop_original${at}`, candidate: `(&perfloop_candidate${at} ? perfloop_candidate${at} : nullptr)` };
  }
  return { original: `&perfloop_original::${split.qualifiedName}`, candidate: `&perfloop_candidate::${split.qualifiedName}` };
}
