import { crc32 } from "node:zlib";

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function toBase62(value: number, width: number): string {
  let remaining = value;
  let digits = "";
  while (remaining > 0) {
    digits = `${base62Alphabet[remaining % 62] ?? ""}${digits}`;
    remaining = Math.floor(remaining / 62);
  }
  return digits.padStart(width, "0");
}

/**
 * GitHub's (and npm's) 2021 token format: prefix, 30 random base62 characters, then the CRC32 of those 30
 * characters in base62, left-padded to 6. See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 * A token whose checksum holds is almost certainly a real token, not a look-alike.
 */
export function hasValidBase62Checksum(tokenBody: string): boolean {
  if (tokenBody.length !== 36) return false;
  const random = tokenBody.slice(0, 30);
  return toBase62(crc32(random) >>> 0, 6) === tokenBody.slice(30);
}
