/** Counts requests sent to a vendor; every connector routes its calls through one. */
export class CallMeter {
  private count = 0;

  async track<T>(call: () => Promise<T>): Promise<T> {
    this.count++;
    return call();
  }

  add(n = 1): void {
    this.count += n;
  }

  get calls(): number {
    return this.count;
  }
}
