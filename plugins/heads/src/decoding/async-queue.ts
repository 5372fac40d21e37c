/**
 * A one-consumer queue that is also an async iterable: the producer pushes items and ends or fails
 * it; the consumer's `for await` receives items in order and then ends or throws. Used to hand
 * generated pieces from the batch loop to `stream()` callers.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: { value: unknown } | undefined;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiter();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = { value: error };
    this.settleWaiter();
  }

  private settleWaiter(): void {
    if (!this.waiting) return;
    const w = this.waiting;
    this.waiting = undefined;
    if (this.error) w.reject(this.error.value);
    else w.resolve({ value: undefined, done: true });
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended)
      return this.error ? Promise.reject(this.error.value) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
