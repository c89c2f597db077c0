/**
 * Work on one key one at a time within a process, in the order it was asked for; a failed turn
 * does not stop the next. Services use it for writes to one document: MongoDB's updates of one
 * document are atomic anyway, but FerretDB 1.24 on SQLite (tests, local runs) loses concurrent
 * updates of one document (measured: 4 of 20 concurrent $inc survived), and a worker runs several
 * jobs at once. Across processes it cannot help; what must hold there is claimed in Redis or by a
 * unique index.
 */
export class OneAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const mine = previous.then(work);
    const settled = mine.catch(() => undefined);
    this.tails.set(key, settled);
    // Forget the key once nothing waits behind this write, so the map stays small.
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return mine;
  }
}
