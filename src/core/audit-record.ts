/** A JSON value as it appears in an audit record's `before` and `after`. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [name: string]: JsonValue };

/** Who did it. `id` is stable (a user name, a key id); `display` is for people reading the log. */
export interface AuditActor {
  /**
   * `cli-user` (an operator at the command line), `master-key` (the admin API), `virtual-key` (a client),
   * `system` (the gateway itself). A string, not a union: records are read back as stored, tampered or not.
   */
  readonly kind: string;
  readonly id: string;
  readonly display: string;
}

/** What a caller hands to the audit log; the log assigns sequence, time (when absent) and hashes. */
export interface AuditEntry {
  readonly actor: AuditActor;
  /**
   * `<area>.<verb>`: today `key.create`, `key.revoke`, `config.reload`; reserved `policy.block`, `lever.set`. Any
   * string is kept, so records of newer writers still verify with older readers.
   */
  readonly action: string;
  /** What was acted on, e.g. `key:<id>`, `config:file` (the config source). */
  readonly target: string;
  readonly reason?: string;
  /** State before and after the change; never a secret (a hash prefix at most). */
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly requestId?: string;
  /** Epoch ms; defaults to the time of recording. */
  readonly occurredAt?: number;
}

/** The hashed body of a record: every field except `hash`, absent optionals as null. */
export interface AuditRecordBody {
  /** 1 for the first record, then +1 per record with no gaps. */
  readonly sequence: number;
  readonly occurredAt: number;
  readonly actor: AuditActor;
  readonly action: string;
  readonly target: string;
  readonly reason: string | null;
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly requestId: string | null;
  /** The previous record's `hash`; `auditGenesisHash` for record 1. */
  readonly prevHash: string;
}

export interface AuditRecord extends AuditRecordBody {
  /** Hex SHA-256 over `prevHash` followed by the RFC 8785 canonical JSON of the body (`audit-chain.ts`). */
  readonly hash: string;
}

/** A signed statement that record `sequence` had `hash`: rewriting anything up to it breaks the signature. */
export interface AuditCheckpoint {
  readonly sequence: number;
  readonly hash: string;
  readonly createdAt: number;
  /** Identifies the signing key: hex SHA-256 of its public key (SPKI DER), first 16 characters. */
  readonly keyId: string;
  /** Base64 Ed25519 signature over the canonical JSON of {sequence, hash, createdAt, keyId}. */
  readonly signature: string;
}
