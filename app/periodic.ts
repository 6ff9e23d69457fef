/**
 * A round of work run now and then again `intervalMs` after each one ends: one at a time (a call
 * while a round runs gets that round), and `stop` waits for the round in hand. The timer does not
 * keep the process alive.
 */
export class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private stopped = false;

  constructor(
    private readonly round: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const loop = () => {
      void this.runNow().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(loop, this.intervalMs);
        this.timer.unref();
      });
    };
    loop();
  }

  runNow(): Promise<T> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
