/**
 * A Python function that lives in a real project runs as the project imports it: real interpreter, real sandbox, the
 * project (a copy of examples/projects/python/inventory) under /tmp, which the sandbox otherwise hides. @slow
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/main.js';
import type { OptimizationReport } from '../../optimizer/types.js';
import { PythonRunner } from '../../profilers/python/pythonRunner.js';
import { findProjectRoot, pythonModulePlace } from '../../profilers/python/pythonProject.js';
import type { EquivalenceResult, RunOptions, WorkloadSource } from '../../profilers/runner.js';
import { resolveSandboxKind } from '../../profilers/sandbox/sandbox.js';
import { fakeReplies, startFakeLlmServer } from '../support/fakeLlmServer.js';
import { candidateReply } from '../support/pythonFixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLE = path.join(repoRoot, 'examples/projects/python');

const OPTS: RunOptions = { sandbox: 'bwrap', timeoutMs: 30_000 };
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** One input, the arguments of one call. */
const oneCall = (...args: unknown[]): WorkloadSource => ({ kind: 'json', origin: 'user', correctness: [args], performance: [] });

/**
 * Whether `file:functionName` returns `expected` (a Python literal) on `args`, as Perfloop runs it: the original is
 * checked against a candidate that returns the literal. Loading errors surface as the runner's RunnerError.
 */
async function returns(runner: PythonRunner, file: string, functionName: string, args: unknown[], expected: string): Promise<EquivalenceResult> {
  const target = await runner.extractTarget(readFileSync(file, 'utf8'), file, { functionName });
  const original = runner.originalProgram(target);
  const workload = oneCall(...args);
  const summary = await runner.checkWorkload(original, workload, OPTS);
  assert.equal(summary.originalRaisedOn, 0, `${functionName} raised`);
  const build = await runner.buildCandidate(target, lines(`def ${functionName}(${target.parameters.join(', ')}):`, `    return ${expected}`), 'constant');
  assert.ok(build.ok);
  return runner.checkEquivalence(original, build.program, workload, OPTS);
}

describe('Python code in a real project @slow', function () {
  this.timeout(300_000);
  let dir = '';
  let project = '';
  const pkg = (...parts: string[]): string => path.join(project, 'inventory', ...parts);

  before(async function () {
    if ((await resolveSandboxKind('auto').catch(() => 'none')) !== 'bwrap') this.skip();
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perfloop-pyproject-'));
    project = path.join(dir, 'inventory');
    cpSync(path.join(EXAMPLE, 'inventory'), project, { recursive: true });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the project root and the module name from the package chain', () => {
    assert.equal(findProjectRoot(pkg('pricing.py')), project);
    assert.deepEqual(pythonModulePlace(pkg('pricing.py')), {
      projectRoot: project, moduleName: 'inventory.pricing', packageName: 'inventory', importRoots: [project],
    });
    assert.equal(findProjectRoot(pkg('pricing.py'), dir), dir);
    writeFileSync(path.join(dir, 'loose.py'), 'def f(): pass\n');
    assert.deepEqual(pythonModulePlace(path.join(dir, 'loose.py')), {
      projectRoot: dir, moduleName: 'loose', packageName: '', importRoots: [dir],
    });
  });

  it('resolves relative imports of the package (`from .utils import …`), in the original and in a candidate', async () => {
    writeFileSync(pkg('labels.py'), lines(
      'from .utils import normalize_sku',
      '',
      'def label(sku):',
      '    return "<" + normalize_sku(sku) + ">"',
    ));
    const runner = new PythonRunner();
    assert.equal((await returns(runner, pkg('labels.py'), 'label', [' ab-1 '], '"<AB-1>"')).status, 'equivalent');
    const target = await runner.extractTarget(readFileSync(pkg('labels.py'), 'utf8'), pkg('labels.py'), { functionName: 'label' });
    const build = await runner.buildCandidate(target, lines(
      'from .utils import normalize_sku as canonical',
      '',
      'def label(sku):',
      '    return f"<{canonical(sku)}>"',
    ), 'relative');
    assert.ok(build.ok);
    const verdict = await runner.checkEquivalence(runner.originalProgram(target), build.program, oneCall(' x '), OPTS);
    assert.equal(verdict.status, 'equivalent', JSON.stringify(verdict));
  });

  it('resolves absolute imports of the project\'s own package and reads its data file through __file__', async () => {
    writeFileSync(pkg('cheapest.py'), lines(
      'from inventory.catalog import load_prices',
      '',
      'def cheapest():',
      '    return min(cents for _, cents in load_prices())',
    ));
    const rows = readFileSync(pkg('data', 'prices.csv'), 'utf8').trim().split('\n').slice(1);
    const expected = Math.min(...rows.map((row) => Number(row.split(',')[1])));
    assert.equal((await returns(new PythonRunner(), pkg('cheapest.py'), 'cheapest', [], String(expected))).status, 'equivalent');
  });

  it('runs the code from the project root, where data files open by a relative path; secrets stay hidden', async () => {
    mkdirSync(path.join(project, 'fixtures'));
    writeFileSync(path.join(project, 'fixtures', 'words.txt'), 'alpha\nbeta\n');
    writeFileSync(path.join(project, '.env'), 'API_TOKEN=hunter2\n');
    writeFileSync(pkg('reader.py'), lines(
      'def first_word(name):',
      '    with open(name) as handle:',
      '        return handle.readline().strip()',
      '',
      'def dotenv():',
      '    try:',
      '        with open(".env") as handle:',
      '            return handle.read()',
      '    except OSError as error:',
      '        return type(error).__name__',
    ));
    const runner = new PythonRunner();
    assert.equal((await returns(runner, pkg('reader.py'), 'first_word', ['fixtures/words.txt'], '"alpha"')).status, 'equivalent');
    assert.equal((await returns(runner, pkg('reader.py'), 'dotenv', [], '"FileNotFoundError"')).status, 'equivalent');
  });

  it('takes the project root it is given (--project-dir) as working directory', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'from the named root\n');
    writeFileSync(pkg('notes.py'), lines('def note():', '    with open("notes.txt") as handle:', '        return handle.read().strip()'));
    const runner = new PythonRunner({ projectDir: dir });
    assert.equal((await returns(runner, pkg('notes.py'), 'note', [], '"from the named root"')).status, 'equivalent');
  });

  it('honours the PYTHONPATH of the user\'s environment', async () => {
    const outside = path.join(dir, 'shared-code');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'house_rules.py'), 'MARKUP = 7\n');
    writeFileSync(pkg('markup.py'), lines('import house_rules', '', 'def markup(cents):', '    return cents + house_rules.MARKUP'));
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = outside;
    try {
      assert.equal((await returns(new PythonRunner(), pkg('markup.py'), 'markup', [100], '107')).status, 'equivalent');
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
  });

  /**
   * A library project of its own, outside the target's project, installed editable into a fresh virtualenv, and a module
   * of the target's project that imports it.
   */
  function editableLibrary(): { library: string; python: string; sitePackages: string } {
    const library = path.join(dir, 'discounts');
    mkdirSync(path.join(library, 'discounts'), { recursive: true });
    writeFileSync(path.join(library, 'pyproject.toml'), lines(
      '[build-system]', 'requires = ["setuptools>=61"]', 'build-backend = "setuptools.build_meta"',
      '[project]', 'name = "discounts"', 'version = "0.1.0"',
      '[tool.setuptools]', 'packages = ["discounts"]',
    ));
    writeFileSync(path.join(library, 'discounts', '__init__.py'), 'def percent_off(cents, percent):\n    return cents * (100 - percent) // 100\n');
    const venv = path.join(dir, 'venv');
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'ignore' });
    const python = path.join(venv, 'bin', 'python');
    const sitePackages = execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
    writeFileSync(pkg('sale.py'), lines('from discounts import percent_off', '', 'def sale(cents):', '    return percent_off(cents, 25)'));
    return { library, python, sitePackages };
  }

  it('imports a library installed editable (pip install -e) in the chosen virtualenv', async () => {
    const { library, python, sitePackages } = editableLibrary();
    try {
      execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-build-isolation', '--no-deps', '-e', library], {
        stdio: 'pipe', env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
    } catch {
      // Offline, pip builds the editable install only when the virtualenv has setuptools and wheel (Python 3.11's
      // bundles setuptools without wheel; 3.12's neither). Built by hand instead, as setuptools does for this flat
      // layout: a .pth file in site-packages naming the library's folder.
      writeFileSync(path.join(sitePackages, '__editable__.discounts-0.1.0.pth'), `${library}\n`);
    }
    assert.equal((await returns(new PythonRunner({ pythonPath: python }), pkg('sale.py'), 'sale', [400], '300')).status, 'equivalent');
  });

  it("imports a library installed editable through setuptools' finder (the layouts a .pth line cannot serve)", async () => {
    const { library, python, sitePackages } = editableLibrary();
    // What setuptools writes for its lenient and strict editable modes (trimmed): a finder module mapping the package
    // to its folder, installed on sys.meta_path by a .pth line.
    const finder = '__editable___discounts_0_1_0_finder';
    writeFileSync(path.join(sitePackages, `${finder}.py`), lines(
      'import sys',
      'from importlib.util import spec_from_file_location',
      `MAPPING = {"discounts": ${JSON.stringify(path.join(library, 'discounts'))}}`,
      'class _EditableFinder:',
      '    @classmethod',
      '    def find_spec(cls, fullname, path=None, target=None):',
      '        if fullname in MAPPING:',
      '            folder = MAPPING[fullname]',
      '            return spec_from_file_location(fullname, folder + "/__init__.py", submodule_search_locations=[folder])',
      '        return None',
      'def install():',
      '    if _EditableFinder not in sys.meta_path:',
      '        sys.meta_path.append(_EditableFinder)',
    ));
    writeFileSync(path.join(sitePackages, '__editable__.discounts-0.1.0.pth'), `import ${finder}; ${finder}.install()\n`);
    assert.equal((await returns(new PythonRunner({ pythonPath: python }), pkg('sale.py'), 'sale', [400], '300')).status, 'equivalent');
  });

  it('says which import failed where, and what to do about it', async () => {
    writeFileSync(pkg('missing.py'), lines('import nowhere_to_be_found', '', 'def f(x):', '    return nowhere_to_be_found.twice(x)'));
    const runner = new PythonRunner();
    const target = await runner.extractTarget(readFileSync(pkg('missing.py'), 'utf8'), pkg('missing.py'), { functionName: 'f' });
    await assert.rejects(
      runner.checkWorkload(runner.originalProgram(target), oneCall(1), OPTS),
      (error: Error) => {
        assert.match(error.message, /the import `nowhere_to_be_found` failed where Perfloop runs the code \(as module `inventory\.missing`/);
        assert.match(error.message, /--python[\s\S]*PYTHONPATH[\s\S]*--project-dir/);
        return true;
      },
    );
  });

  it('says which file the sandbox hid when the original cannot read it, and why', async () => {
    const outside = path.join(dir, 'rates.csv');
    writeFileSync(outside, 'EUR,1.1\n');
    writeFileSync(path.join(project, '.env.local'), 'API_TOKEN=hunter2\n');
    writeFileSync(pkg('rates.py'), lines(
      `RATES = ${JSON.stringify(outside)}`,
      '',
      'def rate_lines():',
      '    with open(RATES) as handle:',
      '        return len(handle.readlines())',
      '',
      'def token():',
      '    with open(".env.local") as handle:',
      '        return handle.read()',
    ));
    const runner = new PythonRunner();
    const check = async (functionName: string): Promise<void> => {
      const target = await runner.extractTarget(readFileSync(pkg('rates.py'), 'utf8'), pkg('rates.py'), { functionName });
      await runner.checkWorkload(runner.originalProgram(target), oneCall(), OPTS);
    };
    await assert.rejects(check('rate_lines'), (error: Error) => {
      assert.match(error.message, new RegExp(`read ${outside}, which exists on this machine but is outside what the sandbox shows: the project at ${project}`));
      assert.match(error.message, /--project-dir/);
      return true;
    });
    await assert.rejects(check('token'), /read \S+\.env\.local, which the sandbox hides because its name marks it as holding secrets/);
  });

  /** The CLI as a user runs it, with the small sample count the CLI tests use. */
  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { PERFLOOP_SAMPLES: '12', ...env } });
    return { code, stdout, stderr };
  }

  // Every target of the example project (README.md there), each with its known rewrite under candidates/.
  const examples = [
    { module: 'pricing.py', target: 'order_total', rewrite: 'order_total_fast.py', feature: 'a plain function reading the package data file' },
    { module: 'restock.py', target: 'restock_plan', rewrite: 'restock_plan_fast.py', feature: 'an async function awaiting a helper of another module' },
    { module: 'reports.py', target: 'StockReport.net_units', rewrite: 'net_units_fast.py', feature: 'a method of a class with no instance state' },
    { module: 'invoices.py', target: 'draft_invoice', rewrite: 'draft_invoice_fast.py', feature: 'a fresh uuid and time in the result, told apart by equal(a, b)' },
  ];
  for (const { module, target, rewrite, feature } of examples) {
    it(`compare (CLI): the known rewrite of ${target} (${feature}) is faster`, async () => {
      const run = await cli([
        'compare', `${pkg(module)}:${target}`, path.join(EXAMPLE, 'candidates', rewrite), '--counters', 'time', '--sandbox', 'bwrap', '--quiet',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /candidate\s+faster\s+\d+\.\d+×? \[/);
    });
  }

  it('optimize (CLI): against an OpenAI-compatible endpoint replying with the known rewrite, the equal(a, b) hook of a package module judges it faster', async () => {
    const rewrite = readFileSync(path.join(EXAMPLE, 'candidates', 'draft_invoice_fast.py'), 'utf8');
    const llm = await startFakeLlmServer([fakeReplies.text(candidateReply([{ rationale: 'merge lines in a dict', code: rewrite }]))]);
    try {
      const json = path.join(dir, 'report.json');
      const run = await cli(
        ['optimize', pkg('invoices.py'), '--function', 'draft_invoice', '--rounds', '1', '--candidates', '1', '--counters', 'time', '--sandbox', 'bwrap', '--json', json],
        { PERFLOOP_BASE_URL: llm.baseURL, PERFLOOP_MODEL: 'fake-model' },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(llm.chatRequests.length, 1, 'the inputs module next to the code is used; no generator is asked for');
      const report = JSON.parse(readFileSync(json, 'utf8')) as OptimizationReport;
      assert.deepEqual(report.candidates.map((c) => c.verdict), ['faster']);
      assert.equal(report.best?.candidateId, report.candidates[0]?.id);
    } finally {
      await llm.close();
    }
  });
});
