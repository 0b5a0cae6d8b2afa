/**
 * The one typed reader of Perfloop's settings (declared in package.json under `perfloop.*`). The CLI reads the same
 * names from PERFLOOP_* environment variables, so a configuration means the same thing in both front doors.
 */
import * as vscode from 'vscode';
import type { CounterPreference, OptimizeSettings } from '../optimizer/types.js';
import type { SandboxMode } from '../profilers/sandbox/types.js';
import { splitCommandLine, type NativeToolchainOptions } from '../profilers/native/nativeBuild.js';

export type ProviderKind = 'openai-compatible' | 'vscode-lm';

const SECTION = 'perfloop';

export class Config {
  private constructor(private readonly section: vscode.WorkspaceConfiguration) {}

  static read(scope?: vscode.ConfigurationScope): Config {
    return new Config(vscode.workspace.getConfiguration(SECTION, scope));
  }

  private get<T>(key: string, fallback: T): T {
    return this.section.get<T>(key, fallback);
  }

  get provider(): ProviderKind {
    return this.get<ProviderKind>('provider', 'openai-compatible') === 'vscode-lm' ? 'vscode-lm' : 'openai-compatible';
  }
  get baseUrl(): string {
    return this.get('baseUrl', '').trim();
  }
  get model(): string {
    return this.get('model', '').trim();
  }
  /** Model family or id for the VS Code Language Model API ("" = let the user pick). */
  get lmModel(): string {
    return this.get('lmModel', '').trim();
  }
  get temperature(): number {
    return this.get('temperature', 0.7);
  }
  /** Milliseconds one LLM request may take (the setting is in seconds). */
  get requestTimeoutMs(): number {
    return clampInt(this.get('requestTimeout', 120), 5, 3600) * 1000;
  }
  get rounds(): number {
    return this.get('rounds', 3);
  }
  get candidates(): number {
    return this.get('candidates', 4);
  }
  get noiseThreshold(): number {
    return this.get('noiseThreshold', 0.05);
  }
  /** 0: Perfloop picks (one per CPU core, at most 4). */
  get parallelCandidates(): number {
    return this.get('parallelCandidates', 0);
  }
  get samples(): number {
    return this.get('samples', 30);
  }
  get counters(): CounterPreference {
    return this.get<CounterPreference>('counters', 'auto');
  }
  get sandbox(): SandboxMode {
    return this.get<SandboxMode>('sandbox', 'auto');
  }
  /** Seconds. */
  get timeout(): number {
    return this.get('timeout', 60);
  }
  get pythonPath(): string {
    return this.get('pythonPath', '').trim();
  }
  /** C/C++ toolchain settings as the runner takes them; empty settings are left to compile_commands.json and defaults. */
  get native(): NativeToolchainOptions {
    const flags = this.get('native.flags', '').trim();
    const cCompiler = this.get('native.cCompiler', '').trim();
    const cxxCompiler = this.get('native.cxxCompiler', '').trim();
    return {
      ...(flags ? { flags: splitCommandLine(flags) } : {}),
      ...(cCompiler ? { cCompiler } : {}),
      ...(cxxCompiler ? { cxxCompiler } : {}),
      sanitizers: this.get('native.sanitizers', true),
    };
  }
  get testCommand(): string {
    return this.get('testCommand', '').trim();
  }
  get codeLensEnabled(): boolean {
    return this.get('codeLens.enabled', true);
  }

  /** The engine's settings; unset values fall back to the engine's defaults. */
  engineSettings(): Partial<OptimizeSettings> {
    return {
      rounds: clampInt(this.rounds, 1, 10),
      candidatesPerRound: clampInt(this.candidates, 1, 10),
      noiseThreshold: Math.min(Math.max(this.noiseThreshold, 0), 0.5),
      timingSamples: clampInt(this.samples, 5, 500),
      parallelCandidates: clampInt(this.parallelCandidates, 0, 16),
      counters: this.counters,
      sandbox: this.sandbox,
      timeoutMs: clampInt(this.timeout, 1, 3600) * 1000,
    };
  }

  static affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }
}

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.round(value), min), max) : min;
}
