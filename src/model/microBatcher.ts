/**
 * Coalesces concurrent requests into one batched pass: the first request of a batch waits up to
 * waitMs (0: until the current I/O callbacks are done) for others to join, and a full batch
 * runs at once. runBatch returns one result per request, or an Error for a request that failed.
 */
export class MicroBatcher<Request, Result> {
  private waiting: { request: Request; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(
    private readonly waitMs: number,
    private readonly maxBatch: number,
    private readonly runBatch: (requests: Request[]) => (Result | Error)[],
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (this.timer === undefined) this.timer = this.waitMs > 0 ? setTimeout(() => this.flush(), this.waitMs) : setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    const batch = this.waiting;
    this.waiting = [];
    let results: (Result | Error)[];
    try {
      results = this.runBatch(batch.map((entry) => entry.request));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => {
      const result = results[i]!;
      if (result instanceof Error) entry.reject(result);
      else entry.resolve(result);
    });
  }
}
