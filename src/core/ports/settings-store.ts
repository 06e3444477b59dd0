/** Small named values the gateway keeps across restarts (e.g. the hashed master key). */
export interface SettingsStore {
  get(name: string): Promise<string | undefined>;
  /** Writes only when absent; returns true when this call wrote it. */
  setIfAbsent(name: string, value: string): Promise<boolean>;
  set(name: string, value: string): Promise<void>;
}
