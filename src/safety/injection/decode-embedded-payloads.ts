/**
 * Finds base64 and hex runs in a text and decodes those that turn out to be readable text, so an instruction
 * hidden as "aWdub3JlIHByZXZpb3Vz..." is scanned like plain text. Every decoded payload is shorter than the run
 * it came from, so the decoded text is never longer than the input: scanning it keeps the work linear.
 */
export const base64RunPattern = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
export const base64UrlCharacterPattern = /[-_]/g;
/** Hex as one run, as pairs separated by a space/comma/colon, as `\x69\x67…`, or as `0x69, 0x67…`. */
export const hexRunPatterns: readonly RegExp[] = [
  /(?:[0-9A-Fa-f]{2}){8,}/g,
  /(?:[0-9A-Fa-f]{2}[ ,:]){7,}[0-9A-Fa-f]{2}/g,
  /(?:\\x[0-9A-Fa-f]{2}){8,}/g,
  /(?:0x[0-9A-Fa-f]{2}, ?){7,}0x[0-9A-Fa-f]{2}/g,
];
export const hexPrefixPattern = /0x|\\x|[ ,:]/g;
export const rot13LetterPattern = /[a-z]/gi;

export type PayloadEncoding = "base64" | "hex";

export interface DecodedPayload {
  readonly encoding: PayloadEncoding;
  readonly text: string;
  /** UTF-16 offsets of the encoded run in the scanned text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const minimumDecodedLength = 6;

/** Printable ASCII, tab and newlines; decoded bytes outside it mean the run was not encoded text. */
function isReadableText(bytes: Buffer): boolean {
  if (bytes.length < minimumDecodedLength) {
    return false;
  }
  let readable = 0;
  for (const byte of bytes) {
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d) {
      readable += 1;
    }
  }
  return readable / bytes.length >= 0.9;
}

function decodeBase64Run(run: string): string | undefined {
  const bytes = Buffer.from(
    run.replace(base64UrlCharacterPattern, (character) => (character === "-" ? "+" : "/")),
    "base64",
  );
  return isReadableText(bytes) ? bytes.toString("latin1") : undefined;
}

function decodeHexRun(run: string): string | undefined {
  const digits = run.replace(hexPrefixPattern, "");
  const evenDigits = digits.length % 2 === 0 ? digits : digits.slice(0, -1);
  const bytes = Buffer.from(evenDigits, "hex");
  return isReadableText(bytes) ? bytes.toString("latin1") : undefined;
}

/** Decoded payloads, hex first; runs that do not decode to readable text are skipped. */
export function decodeEmbeddedPayloads(text: string): DecodedPayload[] {
  const payloads: DecodedPayload[] = [];
  const hexRuns = new Set<string>();
  for (const pattern of hexRunPatterns) {
    for (const match of text.matchAll(pattern)) {
      hexRuns.add(match[0]);
      const decoded = decodeHexRun(match[0]);
      if (decoded !== undefined) {
        payloads.push({
          encoding: "hex",
          text: decoded,
          start: match.index,
          end: match.index + match[0].length,
        });
      }
    }
  }
  for (const match of text.matchAll(base64RunPattern)) {
    if (hexRuns.has(match[0])) {
      continue;
    }
    const decoded = decodeBase64Run(match[0]);
    if (decoded !== undefined) {
      payloads.push({
        encoding: "base64",
        text: decoded,
        start: match.index,
        end: match.index + match[0].length,
      });
    }
  }
  return payloads;
}

/** ROT13 over ASCII letters; applying it twice gives the input back. */
export function rot13(text: string): string {
  return text.replace(rot13LetterPattern, (letter) => {
    const base = letter <= "Z" ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}
