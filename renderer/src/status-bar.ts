/**
 * @module renderer/status-bar
 * The status area: every error the UI meets is shown here with its code and message (and kept in a short log),
 * never swallowed; info lines say what just happened.
 */
import type { Reply, WireError } from '../../preload/contract.ts';
import { clear, el } from './dom.ts';

export type StatusLevel = 'info' | 'error';

export interface StatusEntry {
  readonly level: StatusLevel;
  readonly text: string;
  readonly code: string | null;
  readonly at: Date;
}

export class StatusBar {
  private readonly entries: StatusEntry[] = [];

  constructor(
    private readonly line: HTMLElement,
    private readonly log: HTMLElement,
  ) {}

  info(text: string): void {
    this.push({ level: 'info', text, code: null, at: new Date() });
  }

  /** Shows `code: message` and what the UI was doing, e.g. error(err, 'opening the scene'). */
  error(error: WireError, doing: string): void {
    this.push({ level: 'error', text: `${doing}: ${error.message}`, code: error.code, at: new Date() });
    console.error(`[panforge] ${error.code} while ${doing}: ${error.message}`, error.details);
  }

  /** The reply's value, or null after showing its error. */
  unwrap<T>(reply: Reply<T>, doing: string): T | null {
    if (reply.ok) return reply.value;
    this.error(reply.error, doing);
    return null;
  }

  private push(entry: StatusEntry): void {
    this.entries.push(entry);
    if (this.entries.length > 200) this.entries.shift();
    clear(this.line);
    this.line.className = `status-line status-${entry.level}`;
    this.line.appendChild(el('span', { class: 'status-time' }, entry.at.toLocaleTimeString()));
    if (entry.code) this.line.appendChild(el('code', { class: 'status-code', 'data-testid': 'status-code' }, entry.code));
    this.line.appendChild(el('span', { class: 'status-text', 'data-testid': 'status-text' }, entry.text));
    this.line.title = entry.text;
    this.log.prepend(
      el(
        'li',
        { class: `status-${entry.level}` },
        el('span', { class: 'status-time' }, entry.at.toLocaleTimeString()),
        entry.code ? el('code', {}, entry.code) : null,
        ' ',
        entry.text,
      ),
    );
  }
}
