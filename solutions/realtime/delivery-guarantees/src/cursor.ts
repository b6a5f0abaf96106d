import { validationFailed } from '../../../../lib/errors';

/**
 * History cursors are opaque to clients: base64url of `{ r: room, b: offset }`.
 * Opaque so that clients cannot build them (and we can change what is inside),
 * and carrying the room so a cursor is refused on another room's history.
 */
interface CursorContent {
  r: string;
  b: number;
}

export function encodeCursor(room: string, before: number): string {
  const content: CursorContent = { r: room, b: before };
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

/** The offset a cursor points before; a 400 problem for anything this API did not issue. */
export function decodeCursor(room: string, cursor: string): number {
  const invalid = () => validationFailed({ cursor: 'is not a cursor this API issued for this room' }, 'The cursor is not valid.');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  let content: unknown;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { r, b } = (content ?? {}) as Partial<CursorContent>;
  if (r !== room || !Number.isSafeInteger(b) || b! < 1) throw invalid();
  return b!;
}
