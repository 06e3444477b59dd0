import { KeyService } from "../control/key-service.js";
import { LeverService } from "../control/lever-service.js";
import { adminPrincipal } from "../control/principal.js";
import { TenancyService } from "../control/tenancy-service.js";
import { openConfiguredAuditLog, openConfiguredStorage } from "../main.js";
import { type ConfigSourceOptions, cliActor, loadCliConfig } from "./cli-context.js";

export interface CliAdminServices {
  readonly keys: KeyService;
  readonly tenancy: TenancyService;
  readonly levers: LeverService;
}

/**
 * The key and tenancy services over the configured database, acting as an admin (whoever can reach the database
 * can change its rows anyway). With `audited`, changes are recorded in the audit log (and its tail checkpointed)
 * before storage closes. Running gateways see the changes within `keys.refreshIntervalMs`.
 */
export async function withAdminServices<T>(
  options: ConfigSourceOptions,
  work: (services: CliAdminServices) => Promise<T>,
  audited = false,
): Promise<T> {
  const config = await loadCliConfig(options);
  const storage = await openConfiguredStorage(config);
  const principal = adminPrincipal(cliActor());
  try {
    const audit = audited ? openConfiguredAuditLog(config, storage) : undefined;
    try {
      return await work({
        keys: new KeyService(storage.keys, {
          tenancy: storage.tenancy,
          principal,
          ...(audit === undefined ? {} : { audit }),
        }),
        tenancy: new TenancyService(storage.tenancy, principal, audit),
        levers: new LeverService(storage.levers, principal, audit),
      });
    } finally {
      await audit?.close();
    }
  } finally {
    await storage.close();
  }
}
