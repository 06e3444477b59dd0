/** Words that, just before a value, say the value is a credential (in code, config, prose or env files). */
export const credentialWordPattern =
  /secret|passw(?:or)?d|passwd|\bpwd|token|api[_-]?key|apikey|access[_-]?key|\bauth|credential|private[_-]?key/i;

/** How far before a value its key or label may stand: `AWS_SECRET_ACCESS_KEY = "…"` fits easily. */
export const contextWindow = 80;

export function textBefore(text: string, start: number, width = contextWindow): string {
  return text.slice(Math.max(0, start - width), start);
}

export function textAround(text: string, start: number, end: number, width: number): string {
  return text.slice(Math.max(0, start - width), Math.min(text.length, end + width));
}
