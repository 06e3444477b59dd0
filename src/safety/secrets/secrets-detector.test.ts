import { describe, expect, it } from "vitest";
import { FakeSecrets } from "../../../test/support/fake-secrets.js";
import { crc32, hasValidBase62Checksum, toBase62 } from "./github-token-checksum.js";
import { createSecretsDetector } from "./secrets-detector.js";
import { shannonEntropy } from "./shannon-entropy.js";

const detector = createSecretsDetector();
const fakes = new FakeSecrets("secrets-detector-unit");

/** The one detection in `text`, with its span checked against where `secret` was placed. */
function onlyDetection(text: string, secret: string) {
  const detections = detector.detect(text);
  expect(detections).toHaveLength(1);
  const [detection] = detections;
  expect(detection).toMatchObject({ family: "secrets", start: text.indexOf(secret) });
  expect(detection?.end).toBe(text.indexOf(secret) + secret.length);
  return detection;
}

describe("secrets detector", () => {
  it("is the secrets family and declares its types", () => {
    expect(detector.family).toBe("secrets");
    expect(detector.types).toEqual(
      expect.arrayContaining(["AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "PRIVATE_KEY", "JWT", "GENERIC_SECRET"]),
    );
  });

  it("reports UTF-16 offsets after astral characters", () => {
    const token = fakes.byName("github_classic");
    const text = `🔑🔑 é ${token} 🔒`;
    expect(onlyDetection(text, token)).toMatchObject({ type: "GITHUB_TOKEN", start: 7 });
  });

  it("trusts a GitHub or npm token whose CRC32 checksum holds more than one whose checksum fails", () => {
    const valid = fakes.byName("github_classic");
    const corrupted = fakes.byName("github_classic_bad_checksum");
    expect(onlyDetection(valid, valid)?.score).toBe(0.99);
    expect(onlyDetection(corrupted, corrupted)?.score).toBe(0.6);
    const npm = fakes.checksummedToken("npm_", { validChecksum: false });
    expect(onlyDetection(npm, npm)?.score).toBe(0.85);
  });

  it("encodes the checksum in base62 as GitHub does (CRC32 check value of '123456789')", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(toBase62(0xcbf43926, 6)).toBe("3jZRME");
    expect(toBase62(0, 6)).toBe("000000");
    expect(hasValidBase62Checksum("tooShort")).toBe(false);
  });

  it("reports an AWS secret only next to its key id or a credential word", () => {
    const secret = fakes.byName("aws_secret_access_key");
    expect(detector.detect(`checksum ${secret} ok`)).toEqual([]);
    expect(onlyDetection(`aws_secret_access_key=${secret}`, secret)).toMatchObject({
      type: "AWS_SECRET_ACCESS_KEY",
      score: 0.9,
    });
    const keyId = fakes.byName("aws_access_key_id");
    const pair = detector.detect(`${keyId}:${secret}`);
    expect(pair.map((detection) => [detection.type, detection.score])).toEqual([
      ["AWS_ACCESS_KEY_ID", 0.9],
      ["AWS_SECRET_ACCESS_KEY", 0.85],
    ]);
  });

  it("needs context for Azure AD client secrets and Twilio auth tokens", () => {
    const azure = fakes.byName("azure_ad_client_secret");
    expect(detector.detect(`value ${azure}`)).toEqual([]);
    expect(onlyDetection(`client_secret: ${azure}`, azure)?.type).toBe("AZURE_AD_CLIENT_SECRET");
    const hex = fakes.byName("twilio_auth_token");
    expect(detector.detect(`etag ${hex}`)).toEqual([]);
    expect(onlyDetection(`twilio auth token ${hex}`, hex)?.type).toBe("TWILIO_AUTH_TOKEN");
  });

  it("checks that a JWT header decodes to JSON with an alg", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = fakes.jwt();
    expect(onlyDetection(`Bearer ${signed}`, signed)).toMatchObject({ type: "JWT", score: 0.9 });
    const unsigned = `${encode({ alg: "none" })}.${encode({ sub: "x" })}.`;
    expect(onlyDetection(`t=${unsigned} `, unsigned)).toMatchObject({ type: "JWT", score: 0.7 });
    const noAlgorithm = `${encode({ typ: "JWT" })}.${encode({ sub: "x" })}.${fakes.base64url(43)}`;
    expect(detector.detect(noAlgorithm)).toEqual([]);
    const notJson = `eyJ${fakes.base64url(30)}.${encode({ sub: "x" })}.${fakes.base64url(43)}`;
    expect(detector.detect(notJson)).toEqual([]);
  });

  it("reports a truncated private key up to its last body character", () => {
    const block = fakes.pemBlock("RSA PRIVATE KEY");
    const truncated = block.slice(0, block.indexOf("-----END") - 1);
    expect(onlyDetection(`${truncated}\n\n`, truncated)).toMatchObject({ type: "PRIVATE_KEY", score: 0.8 });
    expect(onlyDetection(`x ${block} y`, block)).toMatchObject({ type: "PRIVATE_KEY", score: 0.97 });
  });

  it("reports database URLs with a real password, not with a conventional or templated one", () => {
    const url = `mysql://root:${encodeURIComponent("p@ss:w0rd!Zx")}@10.0.0.5:3306/shop`;
    expect(onlyDetection(`"${url}"`, url)?.type).toBe("DATABASE_URL");
    expect(detector.detect("mysql://root:changeme@db/shop mysql://root:<password>@db/shop")).toEqual([]);
  });

  it("scores a generic high-entropy credential below every vendor format and ignores low-entropy values", () => {
    const value = fakes.byName("generic_secret");
    const generic = onlyDetection(`"api_secret": "${value}",`, value);
    expect(generic?.type).toBe("GENERIC_SECRET");
    expect(generic?.score).toBeLessThanOrEqual(0.7);
    expect(detector.detect("password=aaaaaaaaaaaa1 password: Summer2024")).toEqual([]);
  });

  it("drops the trailing full stop of a value in prose", () => {
    const value = fakes.byName("generic_secret");
    expect(onlyDetection(`The token is: ${value}.`, value)?.type).toBe("GENERIC_SECRET");
  });

  it("reports a vendor key once, as its specific type, when a generic rule also sees it", () => {
    const key = fakes.byName("openai_project_key");
    expect(onlyDetection(`api_key = "${key}"`, key)).toMatchObject({ type: "OPENAI_API_KEY", score: 0.98 });
  });

  it("skips placeholder bodies after a real prefix", () => {
    expect(detector.detect("sk-proj-YOUR_KEY_HERE ghp_000000000000000000000000000000000000 AIza...")).toEqual(
      [],
    );
  });
});

describe("shannonEntropy", () => {
  it("is the bits per character of the character distribution", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("ab")).toBe(1);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("🔑🔒")).toBe(1);
  });
});
