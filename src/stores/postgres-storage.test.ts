import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropSchemas,
  postgresAvailability,
  postgresTestUrl,
  shownPostgresUrl,
  uniqueSchemaName,
} from "../../test/support/postgres-test-database.js";
import { openStorage } from "./open-storage.js";
import { describeStorageContract } from "./storage-contract.js";

const url = postgresTestUrl;
const shownUrl = shownPostgresUrl;
const schemaPrefix = uniqueSchemaName("switchyard_test");
const schemas: string[] = [];
const { skip, unreachable } = await postgresAvailability("Postgres storage tests");

describe.skipIf(skip)(`postgres storage at ${shownUrl}`, () => {
  beforeAll(() => {
    if (unreachable !== undefined) {
      throw new Error(`Postgres at ${shownUrl} is unreachable (${unreachable}) and CI is set`);
    }
  });

  afterAll(async () => {
    if (unreachable !== undefined) return;
    await dropSchemas(schemas);
  });

  const newSchema = (): string => {
    const schema = `${schemaPrefix}_${schemas.length}`;
    schemas.push(schema);
    return schema;
  };

  describeStorageContract("postgres", {
    dialect: "postgres",
    durable: true,
    newLocation: () => {
      const schema = newSchema();
      return () => openStorage(url, { schema });
    },
  });

  describe("connections", () => {
    it("survives Postgres terminating its idle connections, reporting them as background errors", async () => {
      const schema = newSchema();
      const tagged = new URL(url);
      tagged.searchParams.set("application_name", schema);
      const errors: Error[] = [];
      let reported: () => void = () => undefined;
      const firstReport = new Promise<void>((resolve) => {
        reported = resolve;
      });
      const storage = await openStorage(tagged.toString(), {
        schema,
        onBackgroundError: (error) => {
          errors.push(error);
          reported();
        },
      });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await storage.ping();
        const terminated = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
          [schema],
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        await firstReport;
        expect(errors[0]?.message).toMatch(/terminat/i);
        await expect(storage.ping()).resolves.toBeUndefined();
        await storage.settings.set("after", "reconnect");
        expect(await storage.settings.get("after")).toBe("reconnect");
      } finally {
        await admin.end();
        await storage.close();
      }
    });
  });

  describe("schema isolation", () => {
    it("keeps two schemas of one database apart, each migrated on its own", async () => {
      const first = await openStorage(url, { schema: newSchema() });
      const second = await openStorage(url, { schema: newSchema() });
      try {
        await first.settings.set("where", "first");
        expect(await second.settings.get("where")).toBeUndefined();
        expect(await first.settings.get("where")).toBe("first");
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    it("migrates one fresh schema safely from two handles opened at once", async () => {
      const schema = newSchema();
      const handles = await Promise.all([openStorage(url, { schema }), openStorage(url, { schema })]);
      try {
        const [a, b] = handles;
        await a?.settings.set("shared", "yes");
        expect(await b?.settings.get("shared")).toBe("yes");
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
      }
    });
  });
});
