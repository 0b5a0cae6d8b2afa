/**
 * A tiny event emitter for pure modules: the store must not import `vscode`, yet the tree view needs to hear about changes.
 * `event(listener)` returns `{ dispose() }`, which is structurally a `vscode.Disposable`.
 */
export type Listener<T> = (value: T) => void;

export interface Subscription {
  dispose(): void;
}

export class ChangeEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** Subscribe; arrow property so it can be handed out detached (`store.onDidChange`). */
  readonly event = (listener: Listener<T>): Subscription => {
    // Wrap so the same function subscribed twice is two subscriptions, as with vscode.EventEmitter.
    const entry: Listener<T> = (value) => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  /** Calls every listener; one that throws must not starve the others, so errors go to `onListenerError`. */
  fire(value: T, onListenerError?: (error: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
