/**
 * The one mutex of the code base: runs async sections one at a time, in the
 * order they asked. The server's SQLite back end serializes its connections
 * with it; the tablet serializes sync passes with it where Web Locks are
 * missing, and the capture form its photo-draft writes.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every section queued before it has settled; a failure of one does not stop the next. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
