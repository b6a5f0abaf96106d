import type { DriverBrowser } from './driver';

/**
 * The browsers of one engine that a page service (page-service.ts) hands to its clients.
 *
 * A browser with a tab per page serves every client at once. A browser that shows one
 * page at a time (`onePageAtATime`: WebKit's one WebDriver window) is a lane that one
 * client holds until its pages are closed; while every lane is held and a client waits,
 * another browser of the engine is opened, up to `most`. Why: a grading's WebKit suites
 * (the real app's, the mutants' whose bugs live in WebKit, the recorded catchers' checks)
 * take turns in one window; the real app's WebKit suite once waited 9 s for another
 * suite's turn. Two MiniBrowsers side by side ran 8 page rounds in 3.8 s where one ran 4
 * in 2.5 s (share-browsers.ts says when a grading opens a second).
 *
 * @example
 *   const lanes = new BrowserLanes(openWebKit(), { open: openWebKit, most: 2 });
 *   const browser = await lanes.take('client-1'); // a window of its own until…
 *   lanes.release('client-1'); // …its pages are closed
 */
export class BrowserLanes {
  private readonly lanes: { browser: Promise<DriverBrowser>; up?: DriverBrowser; holder?: string }[] = [];
  private readonly waiting: { client: string; take: (browser: DriverBrowser) => void }[] = [];

  private startFirst?: () => Promise<DriverBrowser>;

  /**
   * @param first  the engine's browser, which may still be starting (a page asked for meanwhile waits; a launch error fails it),
   *   or how to start it, which happens when a client first asks for it (take() or up())
   * @param more  how to open another browser of a one-page-at-a-time engine, and how many at most
   */
  constructor(
    first: Promise<DriverBrowser> | (() => Promise<DriverBrowser>),
    private readonly more?: { open: () => Promise<DriverBrowser>; most: number },
  ) {
    if (typeof first === 'function') this.startFirst = first;
    else this.addLane(first);
  }

  /** The engine's first browser, started now if it was not. */
  private first(): Promise<DriverBrowser> {
    if (this.lanes.length === 0) this.addLane(this.startFirst!());
    return this.lanes[0]!.browser;
  }

  /** The browser `client` opens its pages in: its own lane's, once it holds one. */
  async take(client: string): Promise<DriverBrowser> {
    const first = await this.first();
    if (!first.onePageAtATime) return first;
    return new Promise((resolve) => {
      this.waiting.push({ client, take: resolve });
      this.handOut();
      if (this.waiting.length > 0 && this.more && this.lanes.length < this.more.most) this.addLane(this.more.open());
    });
  }

  /** `client` has no page open any more: its lane goes to the next client waiting. */
  release(client: string): void {
    const held = this.lanes.find((lane) => lane.holder === client);
    if (!held) return;
    held.holder = undefined;
    this.handOut();
  }

  /** Settles once the engine's first browser is up (started now if it was not); rejects with its launch error. */
  async up(): Promise<void> {
    await this.first();
  }

  /** Every browser opened, started or starting (to close them, and to learn whether one failed to start): none if no client asked. */
  browsers(): Promise<DriverBrowser>[] {
    return this.lanes.map((lane) => lane.browser);
  }

  private addLane(browser: Promise<DriverBrowser>): void {
    const lane: (typeof this.lanes)[number] = { browser };
    this.lanes.push(lane);
    // A browser beyond the first that fails to start leaves the work to the ones that did;
    // the first one's failure reaches every page through take() (and the grading, through shareBrowsers).
    browser.then(
      (up) => {
        lane.up = up;
        this.handOut();
      },
      () => {},
    );
  }

  /** Each waiting client, in the order they came, gets its own lane or else a free one. */
  private handOut(): void {
    for (let index = 0; index < this.waiting.length; ) {
      const waiter = this.waiting[index]!;
      // A client asking for two pages at once holds its lane by the time the second is served.
      const lane = this.lanes.find((one) => one.holder === waiter.client) ?? this.lanes.find((one) => one.up && one.holder === undefined);
      if (!lane) {
        index++;
        continue;
      }
      lane.holder = waiter.client;
      this.waiting.splice(index, 1);
      waiter.take(lane.up!);
    }
  }
}
