import { HttpError } from './http-error';

export interface Note {
  id: number;
  title: string;
  body: string;
}

export type NoteDraft = Omit<Note, 'id'>;

/**
 * Where notes live. The API is callback-style, like Node's `fs` and many older
 * drivers: the result (or the failure) arrives later, in a callback, on a later
 * turn of the event loop.
 */
export interface NotesStore {
  get(id: number, done: (err: Error | null, note?: Note) => void): void;
  create(draft: NoteDraft, done: (err: Error | null, note?: Note) => void): void;
  /** Calls `visit` for each note in id order, then `done` once, with the error that stopped it if any. */
  forEach(visit: (note: Note) => void, done: (err?: Error | null) => void): void;
}

/** An in-memory store; it answers asynchronously, as a real database would. */
export function createMemoryStore(drafts: NoteDraft[] = []): NotesStore {
  const notes = new Map<number, Note>();
  let nextId = 1;
  const insert = (draft: NoteDraft): Note => {
    const note = { id: nextId++, ...draft };
    notes.set(note.id, note);
    return note;
  };
  drafts.forEach(insert);

  return {
    get(id, done) {
      setImmediate(() => {
        const note = notes.get(id);
        if (note) done(null, note);
        else done(new HttpError(404, 'note.not_found', `No note with id ${id}.`));
      });
    },
    create(draft, done) {
      setImmediate(() => done(null, insert(draft)));
    },
    forEach(visit, done) {
      setImmediate(() => {
        for (const note of notes.values()) visit(note);
        done(null);
      });
    },
  };
}
