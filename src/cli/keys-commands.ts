import { KeyService } from "../control/key-service.js";
import type { VirtualKeyRecord } from "../core/ports/key-store.js";
import { openConfiguredAuditLog, openConfiguredStorage } from "../main.js";
import { type ConfigSourceOptions, cliActor, loadCliConfig, printLine } from "./cli-context.js";

export interface KeysCreateOptions extends ConfigSourceOptions {
  readonly name: string;
  readonly models?: string;
  readonly metadata?: string;
  readonly json?: boolean;
}

/** `team=search,project=ranker` → `{ team: "search", project: "ranker" }`; anything else is refused. */
export function parseKeyMetadata(pairs: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs.split(",")) {
    const match = /^\s*([A-Za-z][\w.-]*)=([^,=]*?)\s*$/.exec(pair);
    if (match?.[1] === undefined || match[2] === undefined || match[2] === "") {
      throw new Error(`--metadata: expected name=value pairs separated by commas; got "${pair}"`);
    }
    metadata[match[1]] = match[2];
  }
  return metadata;
}

/** With `audited`, changes are recorded in the audit log (and its tail checkpointed) before storage closes. */
async function withKeyService<T>(
  options: ConfigSourceOptions,
  work: (service: KeyService) => Promise<T>,
  audited = false,
): Promise<T> {
  const config = await loadCliConfig(options);
  const storage = await openConfiguredStorage(config);
  try {
    if (!audited) return await work(new KeyService(storage.keys));
    const audit = openConfiguredAuditLog(config, storage);
    try {
      return await work(new KeyService(storage.keys, { log: audit, actor: cliActor() }));
    } finally {
      await audit.close();
    }
  } finally {
    await storage.close();
  }
}

export function keysCreateCommand(options: KeysCreateOptions): Promise<void> {
  return withKeyService(
    options,
    async (service) => {
      const models = options.models === undefined ? [] : options.models.split(",");
      const metadata = options.metadata === undefined ? {} : parseKeyMetadata(options.metadata);
      const { record, secret } = await service.create({
        name: options.name,
        allowedModels: models,
        metadata,
      });
      if (options.json === true) {
        printLine(JSON.stringify({ ...publicView(record), key: secret }));
        return;
      }
      printLine(`Created key ${record.name} (id ${record.id}).`);
      printLine(`Models: ${record.allowedModels.length === 0 ? "all" : record.allowedModels.join(", ")}`);
      printLine(`Key (shown once, only its hash is stored): ${secret}`);
    },
    true,
  );
}

export function keysListCommand(options: ConfigSourceOptions & { json?: boolean }): Promise<void> {
  return withKeyService(options, async (service) => {
    const keys = await service.list();
    if (options.json === true) {
      for (const key of keys) printLine(JSON.stringify(publicView(key)));
      return;
    }
    printLine(
      "id                                    prefix        name                  models            created               status",
    );
    for (const key of keys) {
      printLine(
        [
          key.id.padEnd(37),
          `${key.displayPrefix}…`.padEnd(13),
          key.name.slice(0, 21).padEnd(21),
          (key.allowedModels.length === 0 ? "all" : key.allowedModels.join(",")).slice(0, 17).padEnd(17),
          new Date(key.createdAt).toISOString().slice(0, 19).padEnd(21),
          key.revokedAt === null ? "active" : `revoked ${new Date(key.revokedAt).toISOString().slice(0, 19)}`,
        ].join(" "),
      );
    }
  });
}

export function keysRevokeCommand(idOrPrefix: string, options: ConfigSourceOptions): Promise<void> {
  return withKeyService(
    options,
    async (service) => {
      const revoked = await service.revoke(idOrPrefix.replace(/…$/, ""));
      if (revoked === undefined) throw new Error(`no key with id or prefix ${idOrPrefix}`);
      printLine(`Revoked key ${revoked.name} (id ${revoked.id}).`);
    },
    true,
  );
}

function publicView(key: VirtualKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.displayPrefix,
    models: key.allowedModels,
    metadata: key.metadata,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  };
}
