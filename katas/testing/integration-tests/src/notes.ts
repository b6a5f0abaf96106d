import { Router, type Request } from 'express';
import { isValidObjectId } from 'mongoose';
import { notFound, validationFailed } from '../../../../lib/errors';
import { authenticatedUserId, type AuthConfig } from './auth';
import { Note, type NoteRecord } from './models';
import type { NoteCache } from './note-cache';
import { objectBody } from './users';

export interface NoteBody {
  id: string;
  ownerId: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface NotePage {
  items: NoteBody[];
  page: number;
  limit: number;
  /** How many notes the caller has in all, for "page 2 of 3". */
  total: number;
}

const writableFields = ['title', 'body'] as const;
export const maxPageSize = 100;

function toNoteBody(note: NoteRecord): NoteBody {
  return {
    id: note._id.toHexString(),
    ownerId: note.ownerId.toHexString(),
    title: note.title,
    body: note.body,
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
  };
}

/** A user's own notes. Another user's note answers 404, as if it did not exist. */
export function notesRouter(config: AuthConfig, cache: NoteCache): Router {
  const router = Router();

  router.post('/notes', async (req, res) => {
    const ownerId = authenticatedUserId(req, config);
    // The owner comes from the token, after the client's fields, so a body cannot set it.
    const note = new Note({ ...writable(req.body), ownerId });
    await note.save();
    res.status(201).location(`/notes/${note.id as string}`).json(toNoteBody(note.toObject()));
  });

  router.get('/notes', async (req, res) => {
    const ownerId = authenticatedUserId(req, config);
    const { page, limit } = pageQuery(req);
    const mine = { ownerId };
    const [items, total] = await Promise.all([
      // _id breaks ties between notes created in the same millisecond, so pages never overlap.
      Note.find(mine).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * limit).limit(limit).lean<NoteRecord[]>(),
      Note.countDocuments(mine),
    ]);
    res.json({ items: items.map(toNoteBody), page, limit, total } satisfies NotePage);
  });

  router.get('/notes/:id', async (req, res) => {
    const ownerId = authenticatedUserId(req, config);
    const id = noteId(req);
    const { note, status } = await cache.read(id, async () => {
      const found = await Note.findById(id).lean<NoteRecord>();
      return found && toNoteBody(found);
    });
    // Checked on every read, cached or not: the cache is shared by all users.
    if (!note || note.ownerId !== ownerId) throw notFound(`Note ${id}`);
    res.set('X-Cache', status).json(note);
  });

  router.patch('/notes/:id', async (req, res) => {
    const ownerId = authenticatedUserId(req, config);
    const id = noteId(req);
    const fields = writable(req.body);
    if (Object.keys(fields).length === 0) throw validationFailed({ body: `must set at least one of ${writableFields.join(', ')}.` });
    // The owner is part of the filter: one query, no window between a check and the write.
    const note = await Note.findOneAndUpdate({ _id: id, ownerId }, { $set: fields }, { runValidators: true, returnDocument: 'after' }).lean<NoteRecord>();
    if (!note) throw notFound(`Note ${id}`);
    await cache.invalidate(id);
    res.json(toNoteBody(note));
  });

  router.delete('/notes/:id', async (req, res) => {
    const ownerId = authenticatedUserId(req, config);
    const id = noteId(req);
    const note = await Note.findOneAndDelete({ _id: id, ownerId }).lean<NoteRecord>();
    if (!note) throw notFound(`Note ${id}`);
    await cache.invalidate(id);
    res.status(204).end();
  });

  return router;
}

/** A malformed id is the client's mistake: 400, not a 500 from a failed cast. */
function noteId(req: Request): string {
  const raw = req.params.id;
  if (typeof raw !== 'string' || !isValidObjectId(raw)) throw validationFailed({ id: 'must be a 24-character hex ObjectId.' });
  return raw;
}

function writable(body: unknown): Partial<Record<(typeof writableFields)[number], unknown>> {
  const source = objectBody(body);
  return Object.fromEntries(writableFields.filter((field) => field in source).map((field) => [field, source[field]]));
}

function pageQuery(req: Request): { page: number; limit: number } {
  const { page = '1', limit = '20' } = req.query;
  const asInteger = (value: unknown) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN);
  const pageNumber = asInteger(page);
  const pageSize = asInteger(limit);
  const errors: Record<string, string> = {};
  if (!(pageNumber >= 1)) errors.page = 'must be an integer from 1.';
  if (!(pageSize >= 1 && pageSize <= maxPageSize)) errors.limit = `must be an integer from 1 to ${maxPageSize}.`;
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return { page: pageNumber, limit: pageSize };
}
