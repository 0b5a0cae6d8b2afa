/**
 * A stand-in for the `vscode` module, for timing `require` + `activate()` of the bundled extension in plain Node. It is
 * NOT VS Code: registrations are accepted and dropped, nothing is shown, configuration reads return the defaults the
 * caller passes. It covers what activation touches (output channel, event emitters, registrations, tree view, status bar
 * item, context, secrets); any other member is an inert function object that accepts every call, so an unexpected use
 * does not throw, and is counted so the bench can say how much of the API was stood in for generically.
 */

type Listener = (value: unknown) => void;

export interface StubbedApi {
  vscode: Record<string, unknown>;
  /** Members reached through the generic fallback (e.g. `window.createTreeView`). */
  genericMembers: Set<string>;
  /** Lines written to output channels. */
  logLines: string[];
}

class Disposable {
  constructor(private readonly callback: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.callback();
  }
}

class EventEmitter {
  private readonly listeners = new Set<Listener>();
  readonly event = (listener: Listener): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value?: unknown): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const match = /^([a-z][\w+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(value);
    return match ? new Uri(match[1] as string, match[2] ?? '') : new Uri('file', value);
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path.replace(/\/+$/, ''), ...segments].join('/'));
  }
  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** A callable, constructible object whose every member is another such object; property writes are kept. */
function inert(name: string, generic: Set<string>): unknown {
  const written = new Map<PropertyKey, unknown>();
  const target = function () {
    return undefined;
  };
  return new Proxy(target, {
    get(_target, property) {
      if (written.has(property)) return written.get(property);
      if (property === 'then') return undefined; // not a promise
      if (property === 'dispose') return () => undefined;
      if (typeof property === 'symbol') return undefined;
      generic.add(`${name}.${property}`);
      return inert(`${name}.${property}`, generic);
    },
    set(_target, property, value) {
      written.set(property, value);
      return true;
    },
    apply() {
      return inert(`${name}()`, generic);
    },
    construct() {
      return inert(`new ${name}`, generic) as object;
    },
  });
}

/** A namespace with some members given and the rest inert. */
function namespace(name: string, members: Record<string, unknown>, generic: Set<string>): Record<string, unknown> {
  return new Proxy(members, {
    get(target, property) {
      if (property in target) return target[property as string];
      if (typeof property === 'symbol') return undefined;
      generic.add(`${name}.${property}`);
      return inert(`${name}.${property}`, generic);
    },
  });
}

/**
 * Runtime members of the API besides the namespaces and classes defined here. Bundles read `vscode` through esbuild's
 * CommonJS interop, which copies the module's own property names, so every name the extension reads must be listed.
 */
const OTHER_MEMBERS = [
  'CancellationTokenSource', 'CodeLens', 'LanguageModelChatMessage', 'LanguageModelError', 'MarkdownString', 'Position', 'Range',
  'Selection', 'ThemeColor', 'ThemeIcon', 'TreeItem', 'WorkspaceEdit', 'env', 'extensions', 'lm', 'l10n',
];

/** Enums as numbers, like VS Code's own. */
const ENUMS = {
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
};

export function createVscodeStub(): StubbedApi {
  const genericMembers = new Set<string>();
  const logLines: string[] = [];
  const registration = () => new Disposable();
  const event = () => registration();
  const log = (level: string) => (message: string) => logLines.push(`[${level}] ${message}`);
  const outputChannel = (name: string) => ({
    name,
    logLevel: 2,
    onDidChangeLogLevel: event,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    append: log('append'),
    appendLine: log('line'),
    replace: log('replace'),
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  });
  const configuration = () => ({
    get: <T>(_key: string, fallback?: T) => fallback,
    has: () => false,
    inspect: () => undefined,
    update: async () => undefined,
  });
  const vscode: Record<string, unknown> = {
    ...Object.fromEntries(OTHER_MEMBERS.map((name) => [name, inert(name, genericMembers)])),
    ...ENUMS,
    Disposable,
    EventEmitter,
    Uri,
    window: namespace('window', { createOutputChannel: outputChannel, registerWebviewPanelSerializer: registration }, genericMembers),
    workspace: namespace(
      'workspace',
      {
        isTrusted: true,
        workspaceFolders: undefined,
        getConfiguration: configuration,
        onDidChangeTextDocument: event,
        onDidCloseTextDocument: event,
        onDidChangeConfiguration: event,
        onDidGrantWorkspaceTrust: event,
        registerTextDocumentContentProvider: registration,
      },
      genericMembers,
    ),
    languages: namespace('languages', { registerCodeLensProvider: registration }, genericMembers),
    commands: namespace('commands', { registerCommand: registration, executeCommand: async () => undefined }, genericMembers),
  };
  return { vscode: namespace('vscode', vscode, genericMembers), genericMembers, logLines };
}

/** The ExtensionContext activate() receives: storage under `storageDir`, empty secrets, the manifest as packageJSON. */
export function createExtensionContext(extensionRoot: string, storageDir: string, packageJSON: unknown): Record<string, unknown> {
  const memento = () => ({ get: <T>(_key: string, fallback?: T) => fallback, update: async () => undefined, keys: () => [] });
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: Uri.file(extensionRoot),
    extensionPath: extensionRoot,
    storageUri: Uri.file(storageDir),
    globalStorageUri: Uri.file(`${storageDir}-global`),
    logUri: Uri.file(`${storageDir}-logs`),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => new Disposable() },
    asAbsolutePath: (relative: string) => `${extensionRoot}/${relative}`,
    extension: { id: 'perfloop.perfloop', extensionUri: Uri.file(extensionRoot), packageJSON },
    extensionMode: 1,
  };
}
