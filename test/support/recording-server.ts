import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

/** Writes one scripted answer; may write bytes slowly, cut the socket, etc. */
export type MockAnswer = (request: RecordedRequest, response: ServerResponse) => void;

export interface RecordingServerOptions<Recorded extends RecordedRequest> {
  /** What every request is answered with once the queue is empty. */
  readonly defaultAnswer: (request: Recorded, response: ServerResponse) => void;
  /** Adds provider-specific fields to a recorded request (e.g. the operation read from the path). */
  readonly record?: (base: RecordedRequest) => Recorded;
  /**
   * Checks a request the way the provider does before answering (credentials, URL shape, signature): an answer
   * to send instead of the queued one, or undefined to go on. Gets the raw body and the server's origin.
   */
  readonly refusal?: (
    request: Recorded,
    rawBody: string,
    origin: string,
  ) =>
    | ((request: Recorded, response: ServerResponse) => void)
    | undefined
    | Promise<((request: Recorded, response: ServerResponse) => void) | undefined>;
}

export interface RecordingServer<Recorded extends RecordedRequest> {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: Recorded[];
  /** Answers the next requests with these, in order; afterwards the default answer applies. */
  enqueue(...answers: ((request: Recorded, response: ServerResponse) => void)[]): void;
  /** Destroys open sockets (keep-alive included) and stops listening. */
  close(): Promise<void>;
}

/**
 * The loopback HTTP server under every wire-faithful provider mock: it reads each JSON body, records the
 * request, lets the provider's checks refuse it, then answers with the next queued answer or the default.
 */
export async function startRecordingServer<Recorded extends RecordedRequest = RecordedRequest>(
  options: RecordingServerOptions<Recorded>,
): Promise<RecordingServer<Recorded>> {
  const requests: Recorded[] = [];
  const queue: ((request: Recorded, response: ServerResponse) => void)[] = [];
  const sockets = new Set<Socket>();
  let origin = "";
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const base: RecordedRequest = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
      const recorded = options.record === undefined ? (base as Recorded) : options.record(base);
      requests.push(recorded);
      const answer = (refused: ((request: Recorded, response: ServerResponse) => void) | undefined) =>
        (refused ?? queue.shift() ?? options.defaultAnswer)(recorded, response);
      const refused = options.refusal?.(recorded, text, origin);
      if (refused instanceof Promise) void refused.then(answer);
      else answer(refused);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    enqueue: (...more) => queue.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
