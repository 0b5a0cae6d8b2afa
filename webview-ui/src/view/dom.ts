/**
 * A tiny element builder and a re-render slot. Text always goes in as text nodes (never innerHTML): the report carries
 * LLM-written code and rationales, which must not become markup.
 */
type AttributeValue = string | number | boolean | undefined | null;
type Listener = (event: Event) => void;
export type Props = Record<string, AttributeValue | Listener>;
export type Child = Node | string | false | null | undefined | readonly Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    } else if (name === 'class') {
      if (value) element.className = String(value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== undefined && value !== null) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : (child as Node));
  }
}

/**
 * A region that rebuilds its content only when its key (a serialisation of what it shows) changes, and gives focus back
 * to the element with the same `data-focus-key` afterwards, so live updates never steal the keyboard user's place.
 */
export class Slot {
  private key: string | undefined;

  constructor(readonly element: HTMLElement) {}

  render(key: string, build: () => Child): void {
    if (key === this.key) return;
    this.key = key;
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.element.contains(active) ? active.dataset.focusKey : undefined;
    this.element.replaceChildren();
    append(this.element, [build()]);
    if (focusKey) this.element.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  /** Forces the next render to rebuild (e.g. after a theme change that the key does not capture). */
  invalidate(): void {
    this.key = undefined;
  }
}

/** Hidden from sight, read by screen readers. */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'sr-only' }, text);
}
