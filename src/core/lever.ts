/** What an incident lever does; each kind names the model group or target it applies to. */
export type LeverParams =
  | { readonly kind: "disable-target"; readonly target: string }
  | { readonly kind: "force-fallback"; readonly group: string }
  | { readonly kind: "cap-max-tokens"; readonly group: string; readonly maxTokens: number }
  | {
      readonly kind: "timeout";
      readonly group: string;
      readonly firstTokenMs?: number | undefined;
      readonly totalMs?: number | undefined;
    }
  | { readonly kind: "disable-tools"; readonly group: string };

export type LeverKind = LeverParams["kind"];

export const leverKinds: readonly LeverKind[] = [
  "disable-target",
  "force-fallback",
  "cap-max-tokens",
  "timeout",
  "disable-tools",
];

/** One lever as stored: in force from `createdAt` until cleared or until `expiresAt` (epoch ms) passes. */
export interface Lever {
  readonly id: string;
  readonly params: LeverParams;
  readonly reason: string;
  /** Who set it (an admin principal's label, or `cli`). */
  readonly actor: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

/** Whether a lever is in force at `now` (clearing removes it from the active set; expiry is checked here). */
export function isLeverActive(lever: Lever, now: number): boolean {
  return lever.expiresAt === null || now < lever.expiresAt;
}
