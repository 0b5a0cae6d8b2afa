/** Entry of the report panel's browser bundle (dist/webview/report.js and report.css). */
import './styles/report.css';
import './view/elements.js';
import { ReportApp } from './app.js';
import { getVsCodeApi } from './vscodeApi.js';

const vscode = getVsCodeApi();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
root.id = 'app';
// The panel brings its own landmarks and one polite live region for the stage line; a live region around the whole
// page would read every update aloud.
root.removeAttribute('aria-live');
root.removeAttribute('role');
const app = new ReportApp(root, vscode);
window.addEventListener('message', (event: MessageEvent) => app.receive(event.data));
vscode.postMessage({ type: 'ready' });
