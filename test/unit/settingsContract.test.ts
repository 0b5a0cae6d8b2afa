/**
 * One settings contract for both front doors: package.json, the CLI's flags and PERFLOOP_* variables, the editor's
 * reader and the README all agree with optimizer/settings/settingsTable.ts, and a setting means the same run wherever
 * it is given.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { addSettingOptions, cliNameOf, cliSettingValues } from '../../cli/config.js';
import { runCli } from '../../cli/main.js';
import { editorRunOptions, readEditorSettings } from '../../extension/editorSettings.js';
import { WHOLE_PROGRAM_RUNS } from '../../optimizer/projectCommands.js';
import { runOptionsOf } from '../../optimizer/settings/runOptions.js';
import {
  editorKey,
  flagProperty,
  longFlag,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type SettingSpec,
  type SettingValues,
} from '../../optimizer/settings/settingsTable.js';
import { ConfigError } from '../../optimizer/settings/valueRules.js';
import { DEFAULT_SETTINGS } from '../../optimizer/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> }; commands: { command: string }[] };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
};
const properties = manifest.contributes.configuration.properties;

const spec = (key: SettingKey): SettingSpec<unknown> => SETTINGS[key] as SettingSpec<unknown>;
const cliKeys = SETTING_KEYS.filter((key) => spec(key).flag !== undefined || spec(key).env !== undefined);
const editorOnlyKeys = SETTING_KEYS.filter((key) => !cliKeys.includes(key));

/** A valid value other than the default, as the CLI would be given it. */
function validText(key: SettingKey): string {
  const s = spec(key);
  if (s.enum) return s.enum.find((choice) => choice !== s.default) as string;
  if (s.type === 'boolean') return s.default ? 'false' : 'true';
  if (s.type === 'integer' || s.type === 'number') return String(s.maximum);
  if (key === 'baseUrl') return 'http://127.0.0.1:11434/v1';
  return `value of ${key}`;
}

/** The same value as package.json's type would hold it in the editor's settings. */
function validEditorValue(key: SettingKey): unknown {
  const s = spec(key);
  if (s.type === 'boolean') return !s.default;
  if (s.type === 'integer' || s.type === 'number') return s.maximum;
  return validText(key);
}

/** Values the setting's rule must refuse; none for free text, which takes any value. */
function invalidTexts(key: SettingKey): string[] {
  const s = spec(key);
  if (s.type === 'integer') return ['abc', String((s.maximum as number) + 1), String((s.minimum as number) - 1), '2.5'];
  if (s.type === 'number') return ['abc', String((s.maximum as number) + 1)];
  if (s.enum || s.type === 'boolean') return ['bogus'];
  if (key === 'baseUrl') return ['localhost:11434/v1'];
  return [];
}

const context = (baseDir: string) => ({ baseDir, nameOf: cliNameOf });

describe('settings contract: package.json', () => {
  for (const key of SETTING_KEYS) {
    it(`declares ${editorKey(key)} with the table's type, default and limits`, () => {
      const property = properties[editorKey(key)];
      assert.ok(property, `${editorKey(key)} is missing from package.json`);
      const s = spec(key);
      assert.equal(property.type, s.type);
      assert.deepEqual(property.default, s.default);
      assert.deepEqual(property.enum, s.enum);
      assert.equal(property.minimum, s.minimum);
      assert.equal(property.maximum, s.maximum);
      const description = String(property.markdownDescription ?? property.description ?? '');
      assert.ok(description, 'it says what it does');
      for (const name of [longFlag(s), ...(s.env ?? [])].filter(Boolean)) {
        assert.ok(description.includes(`\`${name}\``), `its description names the CLI's ${name}`);
      }
    });
  }

  it('has no perfloop.* setting the table does not declare', () => {
    const declared = new Set(SETTING_KEYS.map(editorKey));
    assert.deepEqual(Object.keys(properties).filter((name) => !declared.has(name)), []);
  });

  it('ignores a restricted workspace’s own value of exactly the settings that name something Perfloop runs or reads', () => {
    const restricted = SETTING_KEYS.filter((key) => spec(key).restricted).map(editorKey);
    assert.deepEqual([...(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), restricted.sort());
    assert.ok(restricted.includes('perfloop.benchCommand') && restricted.includes('perfloop.testCommand'));
  });

  it('settings only the editor has are the editor’s own (provider, its model, the lens)', () => {
    assert.deepEqual(editorOnlyKeys.sort(), ['codeLens.enabled', 'lmModel', 'provider']);
  });
});

describe('settings contract: defaults', () => {
  it('the table’s defaults are the engine’s defaults', () => {
    const defaults = Object.fromEntries(SETTING_KEYS.map((key) => [key, spec(key).default])) as SettingValues;
    const options = runOptionsOf({ ...defaults, testCommand: 'true' }, context(root));
    assert.deepEqual({ ...DEFAULT_SETTINGS, ...options.settings }, DEFAULT_SETTINGS);
    assert.equal(options.project?.benchRuns, WHOLE_PROGRAM_RUNS);
  });
});

describe('settings contract: the CLI accepts every flag and variable of the table', () => {
  for (const key of cliKeys) {
    for (const name of spec(key).env ?? []) {
      it(`${name} sets ${key}; an invalid value is a ConfigError naming it`, () => {
        const expected = spec(key).rule.parse(validText(key));
        assert.notEqual(expected, undefined);
        assert.deepEqual(cliSettingValues({}, { [name]: validText(key) }), { [key]: expected });
        for (const invalid of invalidTexts(key)) {
          assert.throws(
            () => cliSettingValues({}, { [name]: invalid }),
            (error: unknown) => error instanceof ConfigError && error.message.startsWith(`${name}=${invalid} is not ${spec(key).rule.expected}`),
          );
        }
      });
    }

    const flag = longFlag(spec(key));
    if (!flag) continue;
    it(`${flag} sets ${key} over its variables; an invalid value is refused naming the flag`, async () => {
      const command = (): Command =>
        addSettingOptions(new Command(), 'optimize')
          .exitOverride()
          .configureOutput({ writeErr: () => undefined });
      const args = spec(key).type === 'boolean' ? [flag] : [flag, validText(key)];
      const parsed = command().parse(args, { from: 'user' });
      const env = Object.fromEntries((spec(key).env ?? []).map((name) => [name, invalidTexts(key)[0] ?? 'other']));
      assert.deepEqual(cliSettingValues(parsed.opts(), env), { [key]: spec(key).rule.parse(validText(key)) });
      assert.ok(flagProperty(spec(key)) as string in parsed.opts());
      for (const invalid of spec(key).type === 'boolean' ? [] : invalidTexts(key)) {
        assert.throws(
          () => command().parse([flag, invalid], { from: 'user' }),
          (error: unknown) => error instanceof CommanderError && error.message.includes(`${flag} must be ${spec(key).rule.expected}`),
        );
      }
    });
  }

  it('perfloop optimize and compare declare the flags, with the table’s descriptions', async () => {
    for (const command of ['optimize', 'compare'] as const) {
      let help = '';
      const code = await runCli([command, '--help'], { stdout: (t) => (help += t), stderr: (t) => (help += t), env: {} });
      assert.equal(code, 0);
      for (const key of cliKeys) {
        const flag = longFlag(spec(key));
        if (!flag) continue;
        const expected = command === 'optimize' || !spec(key).optimizeOnly;
        assert.equal(help.includes(`${flag}`), expected, `${command} --help ${expected ? 'lists' : 'does not list'} ${flag}`);
        if (expected) assert.ok(help.replace(/\s+/g, ' ').includes(spec(key).description.replace(/`/g, '').slice(0, 30)), `${flag} is described`);
      }
    }
  });
});

describe('settings contract: the editor reads the same settings into the same run', () => {
  const workspace = resolve(root, 'examples');
  const file = join(workspace, 'python', 'duplicates.py');
  const base: Partial<SettingValues> = { testCommand: 'make test' };

  for (const key of cliKeys) {
    it(`perfloop.${key} and the CLI's ${cliNameOf(key)} give the same run, and change it`, () => {
      const editor = readEditorSettings((k) => (k === key ? validEditorValue(key) : k === 'testCommand' ? base.testCommand : undefined));
      assert.deepEqual(editor.problems, []);
      const name = longFlag(spec(key)) ? flagProperty(spec(key)) : undefined;
      const cliValues = name
        ? cliSettingValues({ testCommand: 'make test', [name]: spec(key).type === 'boolean' ? false : spec(key).rule.parse(validText(key)) }, {})
        : cliSettingValues({ testCommand: 'make test' }, { [(spec(key).env as string[])[0] as string]: validText(key) });
      assert.deepEqual(editor.values, cliValues);
      const fromEditor = editorRunOptions(editor, file, workspace);
      assert.deepEqual(fromEditor, runOptionsOf(cliValues, context(workspace)), 'the same run request');
      const unset = runOptionsOf(key === 'testCommand' ? {} : base, context(workspace));
      assert.notDeepEqual(fromEditor, unset, `${key} lands somewhere in the run`);
    });
  }

  it('perfloop.benchCommand gives the whole-program mode the CLI’s --bench-command does', () => {
    const settings = { benchCommand: ' python3 bench.py ', buildCommand: 'make', benchRuns: 7 } as Record<string, unknown>;
    const editor = editorRunOptions(readEditorSettings((k) => settings[k]), file, workspace);
    assert.deepEqual(editor.project, { dir: workspace, benchCommand: 'python3 bench.py', buildCommand: 'make', benchRuns: 7 });
    const parsed = addSettingOptions(new Command(), 'compare').parse(
      ['--bench-command', 'python3 bench.py', '--build-command', 'make', '--bench-runs', '7'],
      { from: 'user' },
    );
    assert.deepEqual(runOptionsOf(cliSettingValues(parsed.opts(), {}), context(workspace)).project, editor.project);
  });

  it('relative inputs file and project directory are relative to the workspace folder, else the file’s folder', () => {
    const settings = { inputsFile: 'python/duplicates.perfloop.py', projectDir: 'projects/python', testCommand: 'pytest -q' } as Record<string, unknown>;
    const inFolder = editorRunOptions(readEditorSettings((k) => settings[k]), file, workspace);
    assert.equal(inFolder.inputsFile, join(workspace, 'python', 'duplicates.perfloop.py'));
    assert.equal(inFolder.project?.dir, join(workspace, 'projects', 'python'));
    assert.equal(inFolder.runner.python?.projectDir, join(workspace, 'projects', 'python'));
    const noFolder = editorRunOptions(readEditorSettings((k) => settings[k]), file, undefined);
    assert.equal(noFolder.inputsFile, join(workspace, 'python', 'python', 'duplicates.perfloop.py'));
    const absolute = editorRunOptions(readEditorSettings((k) => (k === 'inputsFile' ? '/data/in.json' : undefined)), file, workspace);
    assert.equal(absolute.inputsFile, '/data/in.json');
    assert.equal(absolute.project, undefined, 'no commands: no project copies');
  });

  it('an invalid value is named and left at its default; a value equal to the default counts as unset', () => {
    const settings = { rounds: 20, samples: '12', sandbox: 'docker', timeout: 60, benchCommand: '' } as Record<string, unknown>;
    const read = readEditorSettings((k) => settings[k]);
    assert.deepEqual(read.values, {});
    assert.deepEqual(read.problems, [
      'perfloop.rounds is 20, not an integer from 1 to 10.',
      'perfloop.samples is "12", not an integer from 5 to 500.',
      'perfloop.sandbox is "docker", not one of auto, bwrap, unshare, none.',
    ]);
  });

  it('a build command or run count without a command to go with is refused, named as each front door names it', () => {
    const editor = readEditorSettings((k) => (k === 'buildCommand' ? 'make' : undefined));
    assert.throws(() => editorRunOptions(editor, file, workspace), (e: unknown) => e instanceof ConfigError && /perfloop\.buildCommand .*perfloop\.benchCommand/.test(e.message));
    assert.throws(
      () => runOptionsOf(cliSettingValues({}, { PERFLOOP_BENCH_RUNS: '20' }), context(workspace)),
      (e: unknown) => e instanceof ConfigError && /--build-command and --bench-runs go with --test-command or --bench-command/.test(e.message),
    );
  });
});

describe('settings contract: README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Configuration'), readme.indexOf('### Methods'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `perfloop.') || line.startsWith('| —'));

  it('the Configuration table has one row per setting, with its flag and variables', () => {
    for (const key of SETTING_KEYS) {
      const row = rows.filter((line) => line.startsWith(`| \`${editorKey(key)}\``));
      assert.equal(row.length, 1, `one row for ${editorKey(key)}`);
      const flag = longFlag(spec(key));
      if (flag) assert.ok(row[0]?.includes(`\`${flag}\``), `${editorKey(key)}'s row names ${flag}`);
      for (const name of spec(key).env ?? []) assert.ok(row[0]?.includes(name), `${editorKey(key)}'s row names ${name}`);
    }
    assert.equal(rows.filter((line) => line.startsWith('| `perfloop.')).length, SETTING_KEYS.length, 'and no other setting');
  });

  it('names no perfloop.* setting that does not exist', () => {
    // `perfloop.` after a stem or a folder is an inputs file (`duplicates.perfloop.py`); alone it is a setting or a command.
    const named = [...readme.matchAll(/(?<![\w./>-])perfloop\.([A-Za-z][\w.]*[A-Za-z])/g)].map((m) => `perfloop.${m[1]}`);
    const known = new Set([...SETTING_KEYS.map(editorKey), ...manifest.contributes.commands.map((c) => c.command)]);
    assert.ok(named.length >= SETTING_KEYS.length);
    assert.deepEqual(named.filter((name) => !known.has(name)), []);
  });
});
