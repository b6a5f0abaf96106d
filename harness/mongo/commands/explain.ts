/**
 * explain: how the engine answers a find, count, distinct, aggregate, update,
 * delete or findAndModify, in the shape mongod's classic planner reports it
 * (`queryPlanner.winningPlan`, `executionStats`). This is what lets a learner see
 * why a query is slow: `COLLSCAN` with every document examined against `IXSCAN`
 * on a named index with a handful of keys. The plan is the one the engine really
 * runs (commands/matching.ts), not a guess. Writes are planned and counted, never
 * applied, as on mongod.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { compileFilter } from '../query/filter';
import { equalityValues } from '../storage/collection';
import { type CommandContext, type CommandHandler, existing, optionalDocument, optionalNumber } from './context';
import { SERVER_VERSION } from './handshake';
import { allDocuments, type MatchStats, matchDocuments } from './matching';

type Verbosity = 'queryPlanner' | 'executionStats' | 'allPlansExecution';
const VERBOSITIES = new Set<Verbosity>(['queryPlanner', 'executionStats', 'allPlansExecution']);

/** What one explained read did, ready to be drawn as a stage tree. */
interface ExplainedRead {
  namespace: string;
  filter: Document;
  stats: MatchStats;
  sort?: Document;
  skip?: number;
  limit?: number;
  /** The stage a write or count puts on top (`UPDATE`, `DELETE`, `COUNT`). */
  root?: string;
  nReturned: number;
  millis: number;
}

export const explain: CommandHandler = (ctx) => {
  const inner = ctx.body.explain;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new MongoCommandError('TypeMismatch', `explain needs a command document, got ${JSON.stringify(inner)}`);
  }
  const verbosity = (ctx.body.verbosity ?? 'allPlansExecution') as Verbosity;
  if (!VERBOSITIES.has(verbosity)) {
    throw new MongoCommandError('FailedToParse', `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}, got ${JSON.stringify(ctx.body.verbosity)}`);
  }
  return explainCommand(ctx, inner as Document, verbosity);
};

/** aggregate's `explain: true` option: the same report at queryPlanner verbosity. */
export function explainAggregate(ctx: CommandContext): Document {
  const { explain: _flag, ...inner } = ctx.body;
  return explainCommand(ctx, inner, 'queryPlanner');
}

function explainCommand(ctx: CommandContext, inner: Document, verbosity: Verbosity): Document {
  const name = Object.keys(inner)[0] ?? '';
  const collection = inner[name];
  if (typeof collection !== 'string' || collection.length === 0) {
    throw new MongoCommandError('InvalidNamespace', `explain of '${name}' needs a collection name, got ${JSON.stringify(collection)}`);
  }
  const explainer = EXPLAINERS[name];
  if (!explainer) throw new MongoCommandError('CommandNotSupported', `explain of '${name}' is not supported (find, count, distinct, aggregate, update, delete, findAndModify are)`);
  const namespace = `${ctx.db}.${collection}`;
  const report = explainer(ctx, inner, collection, namespace, verbosity);
  return {
    explainVersion: '1',
    ...report,
    command: { ...inner, $db: ctx.db },
    serverInfo: { host: ctx.server.host, port: ctx.server.port, version: SERVER_VERSION, gitVersion: 'embedded' },
    ok: 1,
  };
}

type Explainer = (ctx: CommandContext, inner: Document, collection: string, namespace: string, verbosity: Verbosity) => Document;

/** Runs the read the command would run, timing it and collecting its stats. */
function read(ctx: CommandContext, collection: string, namespace: string, filter: Document, options: { sort?: Document; skip?: number; limit?: number; hint?: unknown; root?: string }): ExplainedRead {
  const stats = {} as MatchStats;
  const started = performance.now();
  const docs = matchDocuments(existing(ctx, collection), filter, { ...options, stats }, ctx.session.txn);
  return { namespace, filter, stats, ...options, nReturned: docs.length, millis: Math.round(performance.now() - started) };
}

function report(run: ExplainedRead, verbosity: Verbosity): Document {
  const queryPlanner = {
    namespace: run.namespace,
    indexFilterSet: false,
    parsedQuery: compileFilter(run.filter).filter,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: stageTree(run, false),
    rejectedPlans: [],
  };
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const executionStats: Document = {
    executionSuccess: true,
    nReturned: run.nReturned,
    executionTimeMillis: run.millis,
    totalKeysExamined: run.stats.plan.keysExamined,
    totalDocsExamined: run.stats.docsExamined,
    executionStages: stageTree(run, true),
  };
  if (verbosity === 'allPlansExecution') executionStats.allPlansExecution = [];
  return { queryPlanner, executionStats };
}

/** The plan as mongod draws it, innermost stage first; `execution` adds the counters. */
function stageTree(run: ExplainedRead, execution: boolean): Document {
  const { plan, docsExamined, matched } = run.stats;
  const counted = (stage: Document, nReturned: number, extra: Document = {}): Document =>
    execution ? { ...stage, nReturned, executionTimeMillisEstimate: 0, works: nReturned + 1, advanced: nReturned, isEOF: 1, ...extra } : stage;
  const parsed = compileFilter(run.filter).filter;
  const hasFilter = Object.keys(parsed).length > 0;
  let tree: Document;
  if (plan.stage === 'EOF') {
    tree = counted({ stage: 'EOF' }, 0);
  } else if (plan.stage === 'COLLSCAN') {
    tree = counted({ stage: 'COLLSCAN', ...(hasFilter ? { filter: parsed } : {}), direction: 'forward' }, matched, { docsExamined });
  } else if (plan.stage === 'IDHACK') {
    tree = counted({ stage: 'IDHACK' }, matched, { keysExamined: plan.keysExamined, docsExamined });
  } else {
    const index = plan.index!;
    const field = index.spec.key ? Object.keys(index.spec.key)[0]! : '_id';
    const ixscan = counted(
      {
        stage: 'IXSCAN',
        keyPattern: index.spec.key,
        indexName: index.name,
        isMultiKey: index.isMultiKey,
        isUnique: index.unique,
        isSparse: index.sparse,
        isPartial: index.isPartial,
        indexVersion: 2,
        direction: 'forward',
        indexBounds: { [field]: boundsFor(run.filter, field) },
      },
      plan.keysExamined,
      { keysExamined: plan.keysExamined },
    );
    tree = counted({ stage: 'FETCH', ...(hasFilter ? { filter: parsed } : {}), inputStage: ixscan }, matched, { docsExamined });
  }
  if (run.sort) tree = counted({ stage: 'SORT', sortPattern: run.sort, memLimit: 104857600, type: 'simple', inputStage: tree }, matched);
  if (run.skip) tree = counted({ stage: 'SKIP', skipAmount: run.skip, inputStage: tree }, Math.max(0, matched - run.skip));
  if (run.limit) tree = counted({ stage: 'LIMIT', limitAmount: run.limit, inputStage: tree }, run.nReturned);
  // A count or a write returns no documents; it reports what it counted or would change.
  if (run.root) tree = counted({ stage: run.root, inputStage: tree }, 0, run.root === 'COUNT' ? { nCounted: run.nReturned } : { nWouldModify: run.nReturned });
  return tree;
}

/** mongod's `indexBounds` text for the equality values the plan looked up (the planner's own reading), or the full range. */
function boundsFor(filter: Document, field: string): string[] {
  const values = equalityValues(filter, field);
  if (!values) return ['[MinKey, MaxKey]'];
  return values.map((value) => `[${JSON.stringify(value)}, ${JSON.stringify(value)}]`);
}

const EXPLAINERS: Record<string, Explainer> = {
  find: (ctx, inner, collection, namespace, verbosity) => {
    const limit = optionalNumber(inner, 'limit');
    return report(
      read(ctx, collection, namespace, optionalDocument(inner, 'filter') ?? {}, {
        sort: nonEmpty(optionalDocument(inner, 'sort')),
        skip: optionalNumber(inner, 'skip'),
        limit: limit === undefined ? undefined : Math.abs(limit),
        hint: inner.hint,
      }),
      verbosity,
    );
  },
  count: (ctx, inner, collection, namespace, verbosity) => {
    const query = optionalDocument(inner, 'query') ?? {};
    if (Object.keys(query).length === 0 && inner.hint === undefined) {
      // mongod answers an unfiltered count from the collection's record count.
      const n = allDocuments(existing(ctx, collection), ctx.session.txn).length;
      const stage = { stage: 'RECORD_STORE_FAST_COUNT' };
      const queryPlanner = { namespace, indexFilterSet: false, parsedQuery: {}, winningPlan: { stage: 'COUNT', inputStage: stage }, rejectedPlans: [] };
      if (verbosity === 'queryPlanner') return { queryPlanner };
      return { queryPlanner, executionStats: { executionSuccess: true, nReturned: 0, executionTimeMillis: 0, totalKeysExamined: 0, totalDocsExamined: 0, executionStages: { stage: 'COUNT', nReturned: 0, nCounted: n, inputStage: { ...stage, nReturned: 0, nCounted: n } } } };
    }
    return report(read(ctx, collection, namespace, query, { skip: optionalNumber(inner, 'skip'), limit: optionalNumber(inner, 'limit'), hint: inner.hint, root: 'COUNT' }), verbosity);
  },
  distinct: (ctx, inner, collection, namespace, verbosity) =>
    report(read(ctx, collection, namespace, optionalDocument(inner, 'query') ?? {}, { hint: inner.hint }), verbosity),
  update: (ctx, inner, collection, namespace, verbosity) => {
    const statement = firstStatement(inner, 'updates');
    return report(read(ctx, collection, namespace, (statement.q ?? {}) as Document, { limit: statement.multi === true ? undefined : 1, sort: nonEmpty(statement.sort as Document | undefined), hint: statement.hint, root: 'UPDATE' }), verbosity);
  },
  delete: (ctx, inner, collection, namespace, verbosity) => {
    const statement = firstStatement(inner, 'deletes');
    return report(read(ctx, collection, namespace, (statement.q ?? {}) as Document, { limit: Number(statement.limit ?? 0) === 1 ? 1 : undefined, hint: statement.hint, root: 'DELETE' }), verbosity);
  },
  findAndModify: (ctx, inner, collection, namespace, verbosity) =>
    report(read(ctx, collection, namespace, optionalDocument(inner, 'query') ?? {}, { sort: nonEmpty(optionalDocument(inner, 'sort')), limit: 1, hint: inner.hint, root: inner.remove === true ? 'DELETE' : 'UPDATE' }), verbosity),
  aggregate: (ctx, inner, collection, namespace, verbosity) => {
    const pipeline = Array.isArray(inner.pipeline) ? (inner.pipeline as Document[]) : [];
    const leading = pipeline[0] && '$match' in pipeline[0] ? (pipeline[0].$match as Document) : {};
    const rest = pipeline[0] && '$match' in pipeline[0] ? pipeline.slice(1) : pipeline;
    const cursorStage = report(read(ctx, collection, namespace, leading, { hint: inner.hint }), verbosity);
    // As on mongod: a pipeline that is only a $match is the query itself; otherwise
    // the query feeds the remaining stages, listed after it.
    if (rest.length === 0) return cursorStage;
    return { stages: [{ $cursor: cursorStage }, ...rest] };
  },
};
EXPLAINERS.findandmodify = EXPLAINERS.findAndModify!;

function firstStatement(inner: Document, field: string): Document {
  const statements = inner[field];
  if (!Array.isArray(statements) || statements.length !== 1 || statements[0] === null || typeof statements[0] !== 'object') {
    throw new MongoCommandError('BadValue', `explain of a write needs exactly one statement in "${field}", got ${JSON.stringify(statements)}`);
  }
  return statements[0] as Document;
}

function nonEmpty(doc: Document | undefined): Document | undefined {
  return doc && Object.keys(doc).length > 0 ? doc : undefined;
}
