import type { Response } from 'express';
import { encodeCursor } from './request-schemas';

/** Sends one page of `items` in Gorgias's cursor-paginated shape: `{ data, meta: { prev_cursor, next_cursor } }`. */
export function sendCursorPage(res: Response, items: readonly unknown[], offset: number, limit: number): void {
  const nextOffset = offset + limit;
  res.json({
    data: items.slice(offset, nextOffset),
    meta: {
      prev_cursor: offset > 0 ? encodeCursor(Math.max(0, offset - limit)) : null,
      next_cursor: nextOffset < items.length ? encodeCursor(nextOffset) : null,
    },
  });
}
