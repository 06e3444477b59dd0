import type { RequestLogCursor, RequestLogRecord } from "../core/ports/request-log-store.js";

/** An opaque page token (CLI `--cursor`, admin API `cursor`): the last row's time and id, base64url-encoded. */
export function encodeCursor(row: RequestLogRecord): string {
  return Buffer.from(`${row.createdAt}:${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(token: string): RequestLogCursor {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const separator = text.indexOf(":");
  const createdAt = Number(text.slice(0, separator));
  const id = text.slice(separator + 1);
  if (separator <= 0 || !Number.isInteger(createdAt) || id === "") {
    throw new Error(`not a request-log cursor: ${token}`);
  }
  return { createdAt, id };
}

/** A request-log tag filter: one `name=value` pair; a comma would match two adjacent pairs instead. */
export function isTagPair(value: string): boolean {
  return /^[^=,]+=[^,]*$/.test(value);
}
