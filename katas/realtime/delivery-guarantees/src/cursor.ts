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
  // TODO: decode, and refuse (400 validation.failed naming `cursor`) what does
  // not decode, another room's cursor, and offsets that are not whole numbers ≥ 1.
  void [room, cursor];
  throw new Error('decodeCursor is not written yet');
}
