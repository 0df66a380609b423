/**
 * @module renderer/dom
 * A tiny element builder: the UI is plain DOM, and this keeps panel code readable without a framework.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

/** `el('button', {class: 'x', onclick: fn, title: '…'}, 'Label')`; boolean attrs are set when true. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** The element with this id, typed; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node as T;
}

/** A labelled form row. */
export function field(label: string, control: HTMLElement, help?: string): HTMLLabelElement {
  return el('label', { class: 'field', title: help }, el('span', { class: 'field-label' }, label), control);
}

/** A colour swatch, styled through the CSSOM: the CSP (style-src 'self') refuses inline style attributes. */
export function swatch(colour: string): HTMLSpanElement {
  const s = el('span', { class: 'swatch' });
  s.style.background = colour;
  return s;
}

export function select<T extends string>(options: ReadonlyArray<readonly [T, string]>, value: T, attrs: Attrs = {}): HTMLSelectElement {
  const s = el('select', attrs);
  for (const [v, label] of options) s.appendChild(el('option', { value: v, selected: v === value }, label));
  return s;
}
