/**
 * @module main/app-core/recent-store
 * Recent scenes and runs, kept as JSON in the user-data folder. Written atomically (a temporary sibling, then a
 * rename), so a crash never leaves half a file; read through the contract's schema, so a damaged or foreign file
 * is set aside (renamed `.bad`) and the app starts with an empty list instead of failing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { RecentState } from '../../preload/contract.ts';
import { writeFileAtomic } from '../engine/write/atomic-file.ts';

type RecentScene = RecentState['scenes'][number];
type RecentRun = RecentState['runs'][number];

export interface RecentStoreOptions {
  readonly file: string;
  /** [default 20] */
  readonly maxScenes?: number;
  /** [default 100] */
  readonly maxRuns?: number;
  readonly log?: (message: string) => void;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, `${file}.${process.pid}.partial`);
}

export class RecentStore {
  private state: RecentState;
  /** True when the lists came from the file; false when there was none or it was unreadable (set aside as `.bad`),
   * so empty lists say nothing about what the user keeps. */
  loadedFromFile = false;

  constructor(private readonly options: RecentStoreOptions) {
    this.state = this.load();
  }

  get(): RecentState {
    return { scenes: [...this.state.scenes], runs: [...this.state.runs] };
  }

  /** Most recent first; reopening a scene moves it to the top. */
  addScene(scene: Omit<RecentScene, 'openedAt'>): void {
    const entry: RecentScene = { panPath: scene.panPath, msPath: scene.msPath, openedAt: new Date().toISOString() };
    const others = this.state.scenes.filter((s) => s.panPath !== scene.panPath || s.msPath !== scene.msPath);
    this.state = { ...this.state, scenes: [entry, ...others].slice(0, this.options.maxScenes ?? 20) };
    this.save();
  }

  addRun(run: Omit<RecentRun, 'finishedAt'>): void {
    const entry: RecentRun = { ...run, finishedAt: new Date().toISOString() };
    this.state = { ...this.state, runs: [entry, ...this.state.runs].slice(0, this.options.maxRuns ?? 100) };
    this.save();
  }

  /** Drops the runs that match; returns how many. */
  removeRuns(match: (run: RecentRun) => boolean): number {
    const runs = this.state.runs.filter((r) => !match(r));
    const dropped = this.state.runs.length - runs.length;
    if (dropped > 0) {
      this.state = { ...this.state, runs };
      this.save();
    }
    return dropped;
  }

  private load(): RecentState {
    const { file } = this.options;
    if (!existsSync(file)) return { scenes: [], runs: [] };
    try {
      const state = RecentState(JSON.parse(readFileSync(file, 'utf8')), file);
      this.loadedFromFile = true;
      return state;
    } catch (err) {
      const aside = `${file}.bad`;
      this.options.log?.(`recent list ${file} is unreadable (${err instanceof Error ? err.message : String(err)}); moved to ${aside}, starting empty`);
      try {
        renameSync(file, aside);
      } catch {
        // Keeping the damaged file in place is harmless: the next save replaces it.
      }
      return { scenes: [], runs: [] };
    }
  }

  private save(): void {
    try {
      writeJsonAtomic(this.options.file, this.state);
    } catch (err) {
      // The list is a convenience: a read-only profile must not break opening scenes or finishing runs.
      this.options.log?.(`could not save the recent list to ${this.options.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
