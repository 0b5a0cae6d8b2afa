/**
 * Turns the settings into an LlmProvider: an OpenAI-compatible endpoint (key from SecretStorage, none needed for local
 * servers) or a VS Code language model. Also the Set/Clear API Key and Select Model commands.
 */
import * as vscode from 'vscode';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import type { LlmProvider } from '../../optimizer/llm/provider.js';
import { DEFAULT_BASE_URL } from '../../optimizer/settings/settingsTable.js';
import { Config } from '../config.js';
import { availableLanguageModels, VscodeLmProvider } from './vscodeLmProvider.js';

const API_KEY_SECRET = 'perfloop.apiKey';
const CREDENTIAL_HINT = 'Run “Perfloop: Set API Key” to store the right key (it is kept in VS Code’s secret storage).';

/** A provider cannot be made; the message says what to do, `action` offers the command that fixes it. */
export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly action?: { title: string; command: string; args?: unknown[] },
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

export class Providers {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** Called from a user action only: the Language Model API may show a consent prompt. */
  async create(config: Config): Promise<LlmProvider> {
    if (config.provider === 'vscode-lm') {
      const models = await availableLanguageModels(config.lmModel || undefined);
      const model = models[0];
      if (!model) {
        throw new ProviderUnavailableError(
          'No VS Code language model is available here (Copilot provides them in desktop VS Code; code-server has none). ' +
            'Set “perfloop.provider” to “openai-compatible” and point “perfloop.baseUrl” at an endpoint (Ollama works without a key).',
          { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['perfloop.provider'] },
        );
      }
      return new VscodeLmProvider(model, config.requestTimeoutMs);
    }
    const baseURL = config.baseUrl;
    const apiKey = await this.secrets.get(API_KEY_SECRET);
    if (!apiKey && baseURL === DEFAULT_BASE_URL) {
      throw new ProviderUnavailableError('Perfloop needs an API key for api.openai.com, or a “perfloop.baseUrl” of a local endpoint.', {
        title: 'Set API Key',
        command: 'perfloop.setApiKey',
      });
    }
    return new OpenAICompatibleProvider({
      baseURL,
      model: config.model,
      temperature: config.temperature,
      timeoutMs: config.requestTimeoutMs,
      credentialHint: CREDENTIAL_HINT,
      ...(apiKey ? { apiKey } : {}),
    });
  }

  async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Perfloop: API key for the OpenAI-compatible endpoint',
      prompt: 'Stored in VS Code’s secret storage, never in settings. Local endpoints (Ollama, llama.cpp) need none.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape'),
    });
    if (!key) return;
    await this.secrets.store(API_KEY_SECRET, key.trim());
    void vscode.window.showInformationMessage('Perfloop: API key stored.');
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
    void vscode.window.showInformationMessage('Perfloop: API key removed.');
  }

  /** Lists the endpoint's (or VS Code's) models and stores the choice in the user settings. */
  async selectModel(): Promise<void> {
    const config = Config.read();
    if (config.provider === 'vscode-lm') {
      const models = await availableLanguageModels();
      if (models.length === 0) {
        void vscode.window.showWarningMessage('Perfloop: no VS Code language model is available here.');
        return;
      }
      const pick = await vscode.window.showQuickPick(
        models.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}`, family: m.family })),
        { title: 'Perfloop: language model' },
      );
      if (pick) await vscode.workspace.getConfiguration('perfloop').update('lmModel', pick.family, vscode.ConfigurationTarget.Global);
      return;
    }
    let ids: string[] = [];
    try {
      const provider = (await this.create(config)) as OpenAICompatibleProvider;
      ids = await provider.listModels();
    } catch (error) {
      void vscode.window.showWarningMessage(`Perfloop: could not list the endpoint’s models (${(error as Error).message}). Type the name instead.`);
    }
    const chosen =
      ids.length > 0
        ? (await vscode.window.showQuickPick(ids, { title: `Perfloop: model at ${config.baseUrl}` }))
        : await vscode.window.showInputBox({ title: 'Perfloop: model name', value: config.model });
    if (chosen) await vscode.workspace.getConfiguration('perfloop').update('model', chosen, vscode.ConfigurationTarget.Global);
  }
}
