import type { VirtualKeyRecord } from "../../src/core/ports/key-store.js";

/** A stored key with every optional feature off; tests override what they exercise. */
export function virtualKeyRecord(
  overrides: Partial<VirtualKeyRecord> & Pick<VirtualKeyRecord, "id">,
): VirtualKeyRecord {
  return {
    name: overrides.id,
    keyHash: `hash-${overrides.id}`,
    displayPrefix: overrides.id.slice(0, 12),
    allowedModels: [],
    allowedEndpoints: [],
    metadata: {},
    teamId: null,
    projectId: null,
    userId: null,
    role: null,
    expiresAt: null,
    previousKeyHash: null,
    previousKeyExpiresAt: null,
    createdAt: 1,
    updatedAt: 1,
    revokedAt: null,
    ...overrides,
  };
}
