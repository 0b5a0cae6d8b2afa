/** Which compiler and flags the C/C++ runner uses: settings, compile_commands.json, defaults. Pure logic, no compiles. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compilerDiagnostics,
  cxxCompanion,
  findCompileCommands,
  flagsFromCompileCommand,
  harnessFlags,
  resolveToolchain,
  splitCommandLine,
} from '../../profilers/native/nativeBuild.js';
import { RunnerError } from '../../profilers/runner.js';

describe('C/C++ toolchain', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perfloop-toolchain-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('splits command lines as a shell would (quotes, escapes)', () => {
    assert.deepEqual(splitCommandLine(`g++ -DNAME="a b" -I'inc dir' -DX=\\"q\\" file.cpp`), ['g++', '-DNAME=a b', '-Iinc dir', '-DX="q"', 'file.cpp']);
    assert.deepEqual(splitCommandLine('  -O3   -march=native '), ['-O3', '-march=native']);
    assert.deepEqual(splitCommandLine(`-D E=""`), ['-D', 'E=']);
  });

  it("takes a compile_commands.json entry's flags: outputs, sources and -Werror dropped, include paths made absolute", () => {
    const { compiler, flags } = flagsFromCompileCommand({
      directory: '/proj/build',
      file: '../src/a.cpp',
      command: '/usr/bin/c++ -I../include -isystem /opt/x -DNDEBUG -O3 -std=c++20 -Werror -Wall -MD -MF a.d -o a.o -c ../src/a.cpp',
    });
    assert.equal(compiler, '/usr/bin/c++');
    assert.deepEqual(flags, ['-I/proj/include', '-isystem', '/opt/x', '-DNDEBUG', '-O3', '-std=c++20', '-Wall']);
    const fromArguments = flagsFromCompileCommand({ directory: '/p', file: 'b.c', arguments: ['gcc', '-I', 'inc', '-c', 'b.c', '-o', 'b.o'] });
    assert.deepEqual(fromArguments.flags, ['-I', '/p/inc']);
  });

  it('finds compile_commands.json above the file, also in build/, and uses its entry for the file', () => {
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'build'));
    const file = path.join(dir, 'src', 'a.cpp');
    writeFileSync(file, 'int f() { return 1; }\n');
    assert.equal(findCompileCommands(file), undefined);
    writeFileSync(
      path.join(dir, 'build', 'compile_commands.json'),
      JSON.stringify([{ directory: path.join(dir, 'build'), file: '../src/a.cpp', command: 'g++ -O3 -DFROM_DB -c ../src/a.cpp -o a.o' }]),
    );
    assert.equal(findCompileCommands(file), path.join(dir, 'build', 'compile_commands.json'));
    const fromDb = resolveToolchain(file, 'cpp');
    assert.deepEqual(fromDb.flags, ['-O3', '-DFROM_DB', '-g']);
    assert.match(fromDb.origin, /compile_commands\.json$/);
    // A setting wins over the database, and -g is not added twice.
    assert.deepEqual(resolveToolchain(file, 'cpp', { flags: ['-O1', '-g3'] }).flags, ['-O1', '-g3']);
    // A file the database does not list gets the defaults.
    const other = path.join(dir, 'src', 'b.cpp');
    writeFileSync(other, 'int g() { return 2; }\n');
    assert.deepEqual(resolveToolchain(other, 'cpp').flags, ['-O2', '-g']);
    assert.equal(resolveToolchain(other, 'cpp').origin, 'default');
  });

  it('pairs a C compiler with its C++ driver for the harness, and refuses a missing compiler clearly', () => {
    assert.equal(cxxCompanion('gcc'), 'g++');
    assert.equal(cxxCompanion('/usr/bin/gcc-12'), '/usr/bin/g++-12');
    assert.equal(cxxCompanion('x86_64-linux-gnu-gcc'), 'x86_64-linux-gnu-g++');
    assert.equal(cxxCompanion('clang-15'), 'clang++-15');
    assert.equal(cxxCompanion('cc'), 'c++');
    const file = path.join(dir, 'a.c');
    writeFileSync(file, 'int f(void) { return 1; }\n');
    assert.equal(resolveToolchain(file, 'c').cxx, 'g++');
    assert.throws(() => resolveToolchain(file, 'c', { cCompiler: '/nonexistent/cc' }), RunnerError);
  });

  it('gives the C++ harness the flags that apply to it (no C standard, no warnings), with C++17 at least', () => {
    assert.deepEqual(harnessFlags(['-std=c11', '-O3', '-Wall', '-DX=1', '-I', '/inc', '-g']), ['-std=gnu++17', '-O3', '-DX=1', '-I', '/inc', '-g']);
    assert.deepEqual(harnessFlags(['-std=c++20', '-O2']), ['-std=c++20', '-O2']);
    assert.deepEqual(harnessFlags(['-std=c++14', '-O2']), ['-std=gnu++17', '-O2']);
  });

  it('keeps the first compiler errors, with a little context', () => {
    const stderr = ['a.cpp: In function f:', 'note: one', 'note: two', 'note: three', 'note: four', 'a.cpp:3:5: error: x was not declared', 'more'].join('\n');
    assert.equal(compilerDiagnostics(stderr), ['note: two', 'note: three', 'note: four', 'a.cpp:3:5: error: x was not declared', 'more'].join('\n'));
  });
});
