/**
 * A fixed number of slots for analysis workers: the jobs beyond it wait (in start order) until a
 * running one ends. Each worker may take up to half the machine's memory and a core, so N panels
 * restored after a reload, or Re-run clicked twice, must not start N workers at once. No `vscode`
 * import (unit-tested); the cancellation token is any `{ isCancellationRequested, onCancellationRequested }`.
 */

/** The part of a cancellation token the pool uses (vscode.CancellationToken fits). */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class WorkerSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param size how many jobs may run at once (at least 1). */
  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`worker slots: size ${size} is not ≥ 1`);
  }

  /** Jobs running / waiting now. */
  get running(): number {
    return this.busy;
  }
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Waits for a free slot. Resolves to a release function (call it once when the job ends; later
   * calls do nothing), or to `undefined` when `token` is cancelled before a slot was free (the job
   * then leaves the queue and must not run).
   */
  acquire(token?: CancelToken): Promise<(() => void) | undefined> {
    if (token?.isCancellationRequested) return Promise.resolve(undefined);
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const start = () => {
        sub?.dispose();
        this.busy++;
        resolve(this.releaser());
      };
      this.waiting.push(start);
      const sub = token?.onCancellationRequested(() => {
        const i = this.waiting.indexOf(start);
        if (i < 0) return; // already started
        this.waiting.splice(i, 1);
        sub?.dispose();
        resolve(undefined);
      });
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.busy--;
      const next = this.waiting.shift();
      if (next) next();
    };
  }
}
