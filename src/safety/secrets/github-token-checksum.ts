// node:zlib's crc32 arrived in Node 20.15; `engines` promises every Node 20, so the table is computed here.
const crcTable = Int32Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value;
});

/** CRC-32 (IEEE 802.3, as zlib computes it) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let crc = -1;
  for (const byte of Buffer.from(text, "utf8")) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

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
