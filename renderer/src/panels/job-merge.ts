/**
 * @module renderer/panels/job-merge
 * Job snapshots reach the renderer by two roads, a call's reply and pushed events, in either order (the
 * `running` event can overtake the `jobStart` reply). A snapshot never moves a job back: later states win, and
 * at equal state the one with more progress wins.
 */
import type { JobSnapshot, JobState } from '../../../preload/contract.ts';

const RANK: Record<JobState, number> = { queued: 0, running: 1, done: 2, failed: 2, cancelled: 2 };

export function mergeJob(known: JobSnapshot | undefined, incoming: JobSnapshot): JobSnapshot {
  if (!known) return incoming;
  const a = RANK[known.state];
  const b = RANK[incoming.state];
  if (b > a) return incoming;
  if (b < a) return known;
  if (known.state !== incoming.state) return known; // two different final states: the first one told stands
  const done = (s: JobSnapshot) => s.progress?.tilesDone ?? -1;
  return done(incoming) >= done(known) ? incoming : { ...incoming, progress: known.progress };
}
