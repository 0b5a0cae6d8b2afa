/** The webview side of VS Code's messaging, typed with the protocol. */
import type { PersistedWebviewState, WebviewMessage } from '../protocol.js';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedWebviewState): void;
}

declare global {
  // Injected by VS Code into every webview; may be called once per page.
  function acquireVsCodeApi(): VsCodeApi;
}

/** VS Code's API, or an inert stand-in when the page is opened outside VS Code (the panel still renders). */
export function getVsCodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  let saved: unknown;
  return {
    postMessage: () => undefined,
    getState: () => saved,
    setState: (state) => {
      saved = state;
    },
  };
}
