/** What perf/run.ts and the app server (server.ts) say to each other. */

/** The request shapes measured, cheapest first. */
export const shapeNames = ['item', 'list', 'stats'] as const;
export type ShapeName = (typeof shapeNames)[number];

/** What each shape requests, in words for the report. */
export const shapeTitles: Record<ShapeName, string> = {
  item: 'GET /products/:id',
  list: 'GET /products?tag=&limit=20',
  stats: 'GET /products/stats',
};

/** The server's first stdout line. */
export interface ServerReady {
  /** The folder whose code is measured: katas (the learner's) or solutions. */
  target: string;
  products: number;
  /** How long seeding the catalogue took. */
  seedMs: number;
  urls: { uncached: string; cached: string; ceiling: string };
  /** Request paths per shape, visited round robin. */
  paths: Record<ShapeName, string[]>;
  /** Whether the second read of every path of the shape was a HIT (false: the code does not cache it). */
  cachesShape: Record<ShapeName, boolean>;
  /** Products the write mix reads and writes. */
  writeIds: string[];
  /** A bearer token the app accepts, for the write mix's PATCHes. */
  token: string;
}
