/** A small JSON client for `/admin/v1` with one key; returns status and parsed body, never throws on 4xx. */
export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

export function adminClient(baseUrl: string, key: string | undefined) {
  return async (method: string, path: string, body?: unknown): Promise<AdminResponse> => {
    const headers: Record<string, string> = {};
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
  };
}

export type AdminCall = ReturnType<typeof adminClient>;

/** The body of a 2xx response as a record, failing loudly with the body otherwise. */
export async function expectOk<T = Record<string, unknown>>(response: Promise<AdminResponse>): Promise<T> {
  const { status, body } = await response;
  if (status < 200 || status > 299) throw new Error(`expected 2xx, got ${status}: ${JSON.stringify(body)}`);
  return body as T;
}
