import type { Storage } from "../core/ports/storage.js";

export type StorageDialect = Storage["dialect"];

/** Kysely's view of the one schema both dialects share; column names are the stored snake_case. */
export interface StorageDatabase {
  settings: SettingsTable;
  virtual_keys: VirtualKeysTable;
  teams: TeamsTable;
  projects: ProjectsTable;
  request_logs: RequestLogsTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  slo_buckets: SloBucketsTable;
  levers: LeversTable;
}

export interface LeversTable {
  id: string;
  kind: string;
  /** JSON object: the lever's parameters without `kind`. */
  params: string;
  reason: string;
  actor: string;
  created_at: number;
  expires_at: number | null;
  cleared_at: number | null;
  cleared_by: string | null;
  clear_reason: string | null;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface VirtualKeysTable {
  id: string;
  name: string;
  key_hash: string;
  display_prefix: string;
  /** JSON array of strings. */
  allowed_models: string;
  /** JSON object of string values. */
  metadata: string;
  /** JSON array of operation names. */
  allowed_endpoints: string;
  team_id: string | null;
  project_id: string | null;
  user_id: string | null;
  role: string | null;
  expires_at: number | null;
  previous_key_hash: string | null;
  previous_key_expires_at: number | null;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectsTable {
  id: string;
  team_id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface RequestLogsTable {
  id: string;
  created_at: number;
  key_id: string | null;
  endpoint: string;
  model_requested: string | null;
  target: string | null;
  status: number;
  /** 0/1 in SQLite (it has no boolean type and better-sqlite3 cannot bind one), boolean in Postgres. */
  stream: number | boolean;
  latency_ms: number;
  ttft_ms: number | null;
  overhead_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  error_code: string | null;
  attempts: number;
  policy: string | null;
  attempt_path: string | null;
  end_user: string | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  /** 0/1 in SQLite, boolean in Postgres; null for rows written before cost accounting. */
  usage_estimated: number | boolean | null;
  cost_usd: number | null;
  cache_savings_usd: number | null;
  price_version: string | null;
  team: string | null;
  project: string | null;
  tags: string | null;
  trace_id: string | null;
  /** JSON array of `RequestLogAttempt`. */
  attempt_details: string | null;
  warnings: string | null;
}

export interface AuditLogTable {
  sequence: number;
  occurred_at: number;
  actor_kind: string;
  actor_id: string;
  actor_display: string;
  action: string;
  target: string;
  reason: string | null;
  /** Canonical JSON text (RFC 8785) of the value, `null` for none. */
  before_json: string;
  after_json: string;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointsTable {
  sequence: number;
  hash: string;
  created_at: number;
  key_id: string;
  signature: string;
}

export interface SloBucketsTable {
  slo: string;
  minute_start: number;
  good: number;
  total: number;
}
