/**
 * The one typed reader of Perfloop's settings (`perfloop.*`, declared in optimizer/settings/settingsTable.ts and checked
 * against package.json by a test). The CLI reads the same settings from flags and PERFLOOP_* variables.
 */
import * as vscode from 'vscode';
import type { RunOptions } from '../optimizer/settings/runOptions.js';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, valueOf, type ProviderKind, type SettingKey, type SettingValues } from '../optimizer/settings/settingsTable.js';
import { editorRunOptions, readEditorSettings, type EditorSettings } from './editorSettings.js';

export type { ProviderKind } from '../optimizer/settings/settingsTable.js';

const SECTION = 'perfloop';

export class Config {
  private constructor(private readonly settings: EditorSettings) {}

  static read(scope?: vscode.ConfigurationScope): Config {
    const section = vscode.workspace.getConfiguration(SECTION, scope);
    return new Config(readEditorSettings((key) => section.get(key)));
  }

  private value<K extends SettingKey>(key: K): SettingValues[K] {
    return valueOf(this.settings.values, key);
  }

  /** Settings with values they cannot take (each left at its default); a run does not start while there are any. */
  get problems(): readonly string[] {
    return this.settings.problems;
  }
  get provider(): ProviderKind {
    return this.value('provider');
  }
  /** Empty: OpenAI's endpoint. */
  get baseUrl(): string {
    return this.value('baseUrl') || DEFAULT_BASE_URL;
  }
  get model(): string {
    return this.value('model') || DEFAULT_MODEL;
  }
  /** Model family or id for the VS Code Language Model API ("" = the first available). */
  get lmModel(): string {
    return this.value('lmModel');
  }
  get temperature(): number {
    return this.value('temperature');
  }
  /** Milliseconds one LLM request may take (the setting is in seconds). */
  get requestTimeoutMs(): number {
    return this.value('requestTimeout') * 1000;
  }
  /** "" = the Python extension's selection, else python3 on PATH. */
  get pythonPath(): string {
    return this.value('pythonPath');
  }
  get codeLensEnabled(): boolean {
    return this.value('codeLens.enabled');
  }

  /** The engine settings, toolchains, project commands and inputs file of a run on `filePath`, as the CLI's flags would give them. */
  runOptions(filePath: string, workspaceFolder: string | undefined): RunOptions {
    return editorRunOptions(this.settings, filePath, workspaceFolder);
  }

  static affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }
}
