import type { RequestLogCursor, RequestLogRecord } from "../core/ports/request-log-store.js";

/** An opaque page token: the last row's time and id, base64url-encoded. */
export function encodeCursor(row: RequestLogRecord): string {
  return Buffer.from(`${row.createdAt}:${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(token: string): RequestLogCursor {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const separator = text.indexOf(":");
  const createdAt = Number(text.slice(0, separator));
  const id = text.slice(separator + 1);
  if (separator <= 0 || !Number.isInteger(createdAt) || id === "") {
    throw new Error(`--cursor: not a cursor printed by logs query: ${token}`);
  }
  return { createdAt, id };
}
