/** A one-consumer queue: producers push, the consumer awaits `next()` in order. */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | undefined;

  push(item: T): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(item);
    } else {
      this.items.push(item);
    }
  }

  /** Every item already queued, without waiting. */
  drain(): T[] {
    return this.items.splice(0);
  }

  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
