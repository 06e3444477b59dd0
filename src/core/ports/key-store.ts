import type { AdminRole } from "../admin-role.js";

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
  /** Data-plane operations this key may call (`chat.completions`, `embeddings`); empty means every one. */
  readonly allowedEndpoints: readonly string[];
  /** Free-form tags (`feature=search`); `team` / `project` tags stand in for keys without those entities. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * The team the key belongs to: its project's team, or the team of a user's key. Stored beside the project
   * (a project never changes team), so scoping a key to a team needs no join.
   */
  readonly teamId: string | null;
  readonly projectId: string | null;
  /** The person a user key belongs to (an e-mail or directory id); free text, there is no user table. */
  readonly userId: string | null;
  /** Admin API role; null means a data-plane key that cannot call `/admin/v1`. */
  readonly role: AdminRole | null;
  /** Epoch ms after which the key no longer authenticates; null means never. */
  readonly expiresAt: number | null;
  /** After a rotation: the hash of the replaced secret, valid until `previousKeyExpiresAt`. */
  readonly previousKeyHash: string | null;
  readonly previousKeyExpiresAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly revokedAt: number | null;
}

/** What `create` takes: a record before it was ever changed, rotated or revoked. */
export type NewVirtualKey = Omit<
  VirtualKeyRecord,
  "updatedAt" | "revokedAt" | "previousKeyHash" | "previousKeyExpiresAt"
>;

/** Fields `update` may change; absent fields stay as they are. */
export interface VirtualKeyChanges {
  readonly name?: string | undefined;
  readonly allowedModels?: readonly string[] | undefined;
  readonly allowedEndpoints?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  readonly teamId?: string | null | undefined;
  readonly projectId?: string | null | undefined;
  readonly userId?: string | null | undefined;
  readonly role?: AdminRole | null | undefined;
  readonly expiresAt?: number | null | undefined;
}

/** A rotation: the new secret's hash and prefix, and until when the old secret keeps working. */
export interface KeyRotation {
  readonly keyHash: string;
  readonly displayPrefix: string;
  readonly previousKeyExpiresAt: number;
}

export interface KeyStore {
  create(key: NewVirtualKey): Promise<VirtualKeyRecord>;
  /** All keys, newest first, revoked ones included. */
  list(): Promise<VirtualKeyRecord[]>;
  get(id: string): Promise<VirtualKeyRecord | undefined>;
  /** Keys created, changed or revoked at or after `sinceMs` (updatedAt >= sinceMs), for cache refresh. */
  listChangedSince(sinceMs: number): Promise<VirtualKeyRecord[]>;
  /** Changes a key that is not revoked; undefined when no such key (or it is revoked). */
  update(id: string, changes: VirtualKeyChanges, atMs: number): Promise<VirtualKeyRecord | undefined>;
  /**
   * Gives a key that is not revoked a new secret; the current secret becomes the previous one (replacing any
   * earlier previous secret). Undefined when no such key (or it is revoked).
   */
  rotate(id: string, rotation: KeyRotation, atMs: number): Promise<VirtualKeyRecord | undefined>;
  /** Revokes by id or by display prefix; returns the revoked record, or undefined when none matched. */
  revoke(idOrPrefix: string, atMs: number): Promise<VirtualKeyRecord | undefined>;
}
