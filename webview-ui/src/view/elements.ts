/**
 * The @vscode-elements components the panel uses, imported one by one (the package's main entry would pull in all of
 * them). Lit styles them through constructable stylesheets, which the webview's CSP allows.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
