import type { AuditLogStore } from "./audit-log-store.js";
import type { KeyStore } from "./key-store.js";
import type { LeverStore } from "./lever-store.js";
import type { RequestLogStore } from "./request-log-store.js";
import type { SettingsStore } from "./settings-store.js";
import type { SloBucketStore } from "./slo-bucket-store.js";
import type { TenancyStore } from "./tenancy-store.js";

/** Everything the gateway keeps, behind one handle; implementations live in `src/stores/`. */
export interface Storage {
  readonly dialect: "sqlite" | "postgres";
  readonly keys: KeyStore;
  readonly requestLogs: RequestLogStore;
  readonly settings: SettingsStore;
  readonly tenancy: TenancyStore;
  readonly audit: AuditLogStore;
  readonly sloBuckets: SloBucketStore;
  readonly levers: LeverStore;
  /** Resolves when the backend answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
