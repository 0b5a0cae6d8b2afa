/**
 * Host side of the report webview: a strict CSP with a per-load nonce, resources through asWebviewUri, whole-state
 * snapshots posted to the page, every incoming message validated. One panel per run.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { reportPageHtml } from '../../webview-ui/reportPage.js';
import { parseWebviewMessage, type HostMessage, type ReportViewState, type WebviewMessage } from '../../webview-ui/protocol.js';

export const REPORT_VIEW_TYPE = 'perfloop.report';

export interface ReportActions {
  handle(runId: string, message: WebviewMessage): void | Promise<void>;
}

export class ReportPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ReportPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private state: ReportViewState,
    private readonly actions: ReportActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    ReportPanel.open.set(state.runId, this);
    panel.webview.options = ReportPanel.webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
    );
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
  }

  /** Shows the run's panel, creating it (or reusing a restored one) if needed. */
  static show(
    extensionUri: vscode.Uri,
    state: ReportViewState,
    actions: ReportActions,
    log: vscode.LogOutputChannel,
    existing?: vscode.WebviewPanel,
  ): ReportPanel {
    const current = ReportPanel.open.get(state.runId);
    if (current) {
      current.update(state);
      current.panel.reveal(undefined, true);
      return current;
    }
    const title = `⚡ ${state.report.target?.functionName ?? 'Perfloop'}`;
    const panel =
      existing ??
      vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        ...ReportPanel.webviewOptions(extensionUri),
        retainContextWhenHidden: false,
      });
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'perfloop.svg');
    return new ReportPanel(panel, extensionUri, state, actions, log);
  }

  static forRun(runId: string): ReportPanel | undefined {
    return ReportPanel.open.get(runId);
  }

  get runId(): string {
    return this.state.runId;
  }

  get current(): ReportViewState {
    return this.state;
  }

  update(state: ReportViewState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }

  notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.post({ type: 'notice', level, text });
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(data: unknown): void {
    const message = parseWebviewMessage(data);
    if (!message) {
      this.log.warn(`Report panel sent an invalid message: ${JSON.stringify(data).slice(0, 200)}`);
      return;
    }
    // The page asks for the state when it (re)loads: after being hidden, or after VS Code restored it.
    if (message.type === 'ready') {
      this.post({ type: 'state', state: this.state });
      return;
    }
    Promise.resolve(this.actions.handle(this.state.runId, message)).catch((error: unknown) => {
      this.log.error(`Report action ${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      this.notice('error', `${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    return reportPageHtml({
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: asset('report.js'),
      styleUri: asset('report.css'),
      runId: this.state.runId,
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ReportPanel.open.delete(this.state.runId);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  static disposeAll(): void {
    for (const panel of [...ReportPanel.open.values()]) panel.dispose();
  }
}
