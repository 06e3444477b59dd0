import { parentPort, workerData } from "node:worker_threads";
import { openStorage } from "./open-storage.js";
import type { RequestLogWorkerData, WorkerReply, WorkerRequest } from "./request-log-worker-protocol.js";

// The worker side of `RequestLogWorker`: its own storage handle, writing the batches the main thread posts.
const port = parentPort;
if (port === null) throw new Error("request-log-worker-thread must run in a worker thread");
const data = workerData as RequestLogWorkerData;
const reply = (message: WorkerReply) => port.postMessage(message);

try {
  const storage = await openStorage(data.url, data.schema === undefined ? {} : { schema: data.schema });
  port.on("message", (message: WorkerRequest) => {
    if (message.kind === "close") {
      storage.close().then(() => port.close());
      return;
    }
    Promise.resolve()
      .then(() => storage.requestLogs.appendEncoded(message.batch))
      .then(
        () => reply({ kind: "written", id: message.id }),
        (error: unknown) => reply({ kind: "failed", id: message.id, message: String(error) }),
      );
  });
  reply({ kind: "ready" });
} catch (error) {
  reply({ kind: "open-failed", message: String(error) });
}
