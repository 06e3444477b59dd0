import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { relayChunks } from "./serve-operation.js";

const chunkBytes = 64 * 1024;
const chunkCount = 160;

interface Relay {
  readonly server: Server;
  readonly port: number;
  /** Calls of the source's `next()` made while the response still needed a `drain`. */
  readonly pullsWhileFull: () => number;
  /** Resolves the first time `response.write` returns false. */
  readonly firstRefusal: Promise<void>;
  readonly finished: Promise<void>;
}

let running: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => running?.close(() => resolve()) ?? resolve());
  running = undefined;
});

/** A server relaying `chunkCount` numbered chunks through `relayChunks`, counting pulls made while full. */
async function startRelay(): Promise<Relay> {
  let pullsWhileFull = 0;
  let refused: () => void = () => undefined;
  const firstRefusal = new Promise<void>((resolve) => {
    refused = resolve;
  });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  async function* source(response: ServerResponse): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < chunkCount; index++) {
      if (response.writableNeedDrain) pullsWhileFull += 1;
      yield Buffer.alloc(chunkBytes, index % 256);
    }
  }
  const server = createServer((_incoming, response) => {
    const write = response.write.bind(response) as (chunk: Uint8Array | string) => boolean;
    response.write = ((chunk: Uint8Array | string) => {
      const accepted = write(chunk);
      if (!accepted) refused();
      return accepted;
    }) as ServerResponse["write"];
    relayChunks(source(response), response).then(finish, finish);
  });
  running = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    pullsWhileFull: () => pullsWhileFull,
    firstRefusal,
    finished,
  };
}

describe("relayChunks", () => {
  it("pulls the next chunk only once a client that stopped reading has drained the response", async () => {
    const relay = await startRelay();
    const received = await new Promise<Buffer>((resolve, reject) => {
      const outgoing = request({ port: relay.port, method: "GET", path: "/" }, (response) => {
        response.pause();
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks)));
        response.on("error", reject);
        // Read nothing until the relay has met a full buffer, then everything.
        relay.firstRefusal.then(() => response.resume(), reject);
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
    await relay.finished;
    expect(relay.pullsWhileFull()).toBe(0);
    expect(received.byteLength).toBe(chunkBytes * chunkCount);
    for (let index = 0; index < chunkCount; index++) {
      expect(received[index * chunkBytes]).toBe(index % 256);
      expect(received[(index + 1) * chunkBytes - 1]).toBe(index % 256);
    }
  });

  it("stops pulling and returns the source when the client leaves", async () => {
    let returned = false;
    let pulls = 0;
    let left: () => void = () => undefined;
    const clientLeft = new Promise<void>((resolve) => {
      left = resolve;
    });
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) {
          pulls += 1;
          if (pulls === 3) await clientLeft;
          yield `data: ${pulls}\n\n`;
        }
      } finally {
        returned = true;
      }
    }
    let relayed: Promise<void> = Promise.resolve();
    const server = createServer((_incoming, response) => {
      response.once("close", left);
      relayed = relayChunks(endless(), response);
    });
    running = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      const outgoing = request({ port, method: "GET", path: "/" }, (response) => {
        // Leave after the first bytes: the relay is then waiting for its third chunk.
        response.once("data", () => outgoing.destroy());
      });
      // Destroying the request may surface as a socket error here; leaving is what this test does.
      outgoing.on("error", () => undefined);
      outgoing.once("close", () => resolve());
      outgoing.end();
    });
    await clientLeft;
    await relayed;
    expect(pulls).toBe(3);
    expect(returned).toBe(true);
  });
});
