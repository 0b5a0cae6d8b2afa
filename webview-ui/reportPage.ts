/**
 * The report panel's HTML page, shared by the extension host and the browser preview harness so both test the same
 * CSP and markup. Pure string building: no `vscode`, no DOM.
 */
export interface ReportPageOptions {
  nonce: string;
  /** The webview's resource origin (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  runId: string;
  /** Inline script run before the report's (the preview harness stubs the VS Code API with it). Nonce'd. */
  headScript?: string;
}

export function reportPageHtml(options: ReportPageOptions): string {
  const { nonce, cspSource } = options;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
  const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(options.styleUri)}">
<title>Perfloop report</title>
</head>
<body data-run-id="${attribute(options.runId)}">
${options.headScript ? `<script nonce="${nonce}">\n${options.headScript}\n</script>\n` : ''}<div id="app"></div>
<script nonce="${nonce}" src="${attribute(options.scriptUri)}"></script>
</body>
</html>`;
}
