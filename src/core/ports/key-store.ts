/** A virtual key as stored: never the secret itself, only its SHA-256 hash and a short display prefix. */
export interface VirtualKeyRecord {
  readonly id: string;
  readonly name: string;
  /** Hex SHA-256 of the full secret. */
  readonly keyHash: string;
  /** The first characters of the secret, safe to show (`sy-ab12…`). */
  readonly displayPrefix: string;
  /** Public model names this key may use; empty means every model. */
  readonly allowedModels: readonly string[];
  /** Free-form tags; teams, projects, limits and budgets attach here in later work. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly revokedAt: number | null;
}

/** What `create` takes: a record before it was ever changed or revoked. */
export type NewVirtualKey = Omit<VirtualKeyRecord, "updatedAt" | "revokedAt">;

export interface KeyStore {
  create(key: NewVirtualKey): Promise<VirtualKeyRecord>;
  /** All keys, newest first, revoked ones included. */
  list(): Promise<VirtualKeyRecord[]>;
  /** Keys created, changed or revoked at or after `sinceMs` (updatedAt >= sinceMs), for cache refresh. */
  listChangedSince(sinceMs: number): Promise<VirtualKeyRecord[]>;
  /** Revokes by id or by display prefix; returns the revoked record, or undefined when none matched. */
  revoke(idOrPrefix: string, atMs: number): Promise<VirtualKeyRecord | undefined>;
}
