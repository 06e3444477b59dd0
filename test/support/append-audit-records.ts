/**
 * A separate writer process for the concurrency test: `node --import tsx append-audit-records.ts URL SCHEMA TAG N`
 * appends N records, one per transaction, to the audit log at URL (SCHEMA "-" for none).
 */
import { openStorage } from "../../src/stores/open-storage.js";

const [url = "", schema = "-", tag = "writer", count = "100"] = process.argv.slice(2);
const storage = await openStorage(url, schema === "-" ? {} : { schema });
try {
  for (let n = 0; n < Number(count); n += 1) {
    await storage.audit.append(
      [{ actor: { kind: "system", id: tag, display: tag }, action: "lever.set", target: `${tag}:${n}` }],
      Date.now(),
    );
  }
} finally {
  await storage.close();
}
