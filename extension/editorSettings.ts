/**
 * The editor's side of the settings contract (optimizer/settings/settingsTable.ts): every `perfloop.*` setting read
 * through one loop over the table. Pure (no `vscode` import) so the unit tests can give it any settings.
 */
import { dirname } from 'node:path';
import { runOptionsOf, type RunOptions } from '../optimizer/settings/runOptions.js';
import { editorKey, SETTING_KEYS, SETTINGS, type SettingKey, type SettingSpec, type SettingValues } from '../optimizer/settings/settingsTable.js';

export interface EditorSettings {
  /** Settings set to something other than their default; the rest are absent, so the engine's defaults apply. */
  values: Partial<SettingValues>;
  /** One sentence per setting whose value is invalid (it is left at its default): a run refuses to start with them. */
  problems: string[];
}

const JSON_TYPE: Record<SettingSpec<unknown>['type'], string> = { integer: 'number', number: 'number', string: 'string', boolean: 'boolean' };

/** `get` is `WorkspaceConfiguration.get` of the `perfloop` section: it takes `rounds`, not `perfloop.rounds`. */
export function readEditorSettings(get: (key: string) => unknown): EditorSettings {
  const values: Partial<Record<SettingKey, unknown>> = {};
  const problems: string[] = [];
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as SettingSpec<unknown>;
    const raw = get(key);
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    const value = typeof raw === JSON_TYPE[spec.type] ? spec.rule.parse(String(raw)) : undefined;
    if (value === undefined) {
      problems.push(`${editorKey(key)} is ${JSON.stringify(raw)}, not ${spec.rule.expected}.`);
    } else if (value !== spec.default) {
      values[key] = value;
    }
  }
  return { values: values as Partial<SettingValues>, problems };
}

/**
 * What a run started from the editor uses, exactly as the CLI would with the same flags: relative paths (inputs file,
 * project directory) and the commands' project default to the workspace folder, else the file's folder.
 */
export function editorRunOptions(settings: EditorSettings, filePath: string, workspaceFolder: string | undefined): RunOptions {
  return runOptionsOf(settings.values, { baseDir: workspaceFolder ?? dirname(filePath), nameOf: editorKey });
}
