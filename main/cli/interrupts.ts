/**
 * @module main/cli/interrupts
 * Ctrl-C and SIGTERM for a running command: the first one cancels (the job cleans up and the command exits 130);
 * if the job has not ended `graceMs` later, or on a second Ctrl-C, `forceExit` runs at once. Nothing the command
 * started may outlive it: forceExit must be synchronous cleanup followed by process.exit.
 */
export interface InterruptOptions {
  readonly onCancel: () => void;
  readonly forceExit: () => never;
  /** [default 2000 ms minus a margin: 1800] */
  readonly graceMs?: number;
  readonly write?: (text: string) => void;
}

/** Installs the handlers; returns the function that removes them. */
export function handleInterrupts(options: InterruptOptions): () => void {
  const write = options.write ?? ((t: string) => process.stderr.write(t));
  let count = 0;
  let timer: NodeJS.Timeout | null = null;
  const onSignal = () => {
    count++;
    if (count > 1) {
      write('\nstopped\n');
      options.forceExit();
    }
    write('\ncancelling… (partial output is removed; Ctrl-C again to stop at once)\n');
    options.onCancel();
    timer = setTimeout(() => options.forceExit(), options.graceMs ?? 1800);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
