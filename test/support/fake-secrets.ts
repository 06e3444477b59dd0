import { createSeededRandom, hashToSeed } from "../../src/providers/simulator/seeded-random.js";
import { crc32 } from "../../src/safety/secrets/github-token-checksum.js";

/**
 * Builds secrets that have each vendor's format but were never issued by anyone: random bodies from a
 * seeded generator, so tests are repeatable and no real credential is ever committed.
 */
export class FakeSecrets {
  private readonly random: () => number;

  constructor(seed = "switchyard-fake-secrets") {
    this.random = createSeededRandom(hashToSeed(seed));
  }

  characters(alphabet: string, length: number): string {
    let text = "";
    for (let index = 0; index < length; index += 1) {
      text += alphabet.charAt(Math.floor(this.random() * alphabet.length));
    }
    return text;
  }

  base62(length: number): string {
    return this.characters(alphabets.base62, length);
  }

  base64(length: number): string {
    return this.characters(alphabets.base64, length);
  }

  base64url(length: number): string {
    return this.characters(alphabets.base64url, length);
  }

  hex(length: number): string {
    return this.characters(alphabets.hex, length);
  }

  /** GitHub/npm 2021 format: 30 random base62 characters and their CRC32, base62, padded to 6. */
  checksummedToken(prefix: string, options: { validChecksum?: boolean } = {}): string {
    const random = this.base62(30);
    const checksum = encodeBase62(crc32(random) >>> 0).padStart(6, "0");
    const suffix = options.validChecksum === false ? corrupt(checksum) : checksum;
    return `${prefix}${random}${suffix}`;
  }

  pemBlock(label: string, lines = 8): string {
    const body = Array.from({ length: lines }, () => this.base64(64)).join("\n");
    return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
  }

  jwt(header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }): string {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    const payload = { sub: this.hex(12), iat: 1_700_000_000, scope: "admin" };
    return `${encode(header)}.${encode(payload)}.${this.base64url(43)}`;
  }

  /** Every format the secrets detector knows, keyed by the name the corpus fixture uses in `{{…}}`. */
  byName(name: string): string {
    const build = this.builders[name];
    if (build === undefined) throw new Error(`no fake secret named ${name}`);
    return build();
  }

  private readonly builders: Readonly<Record<string, () => string>> = {
    aws_access_key_id: () => `AKIA${this.characters(alphabets.base32, 16)}`,
    aws_secret_access_key: () => `${this.base64(18)}aZ9${this.base64(19)}`,
    gcp_api_key: () => `AIza${this.base64url(35)}`,
    gcp_service_account_private_key: () =>
      `-----BEGIN PRIVATE KEY-----\\n${Array.from({ length: 6 }, () => this.base64(64)).join("\\n")}\\n-----END PRIVATE KEY-----`,
    azure_account_key: () => `${this.base64(80)}aZ9${this.base64(3)}==`,
    azure_connection_string: () =>
      `DefaultEndpointsProtocol=https;AccountName=switchyardlogs;AccountKey=${this.byName("azure_account_key")}`,
    azure_ad_client_secret: () => `${this.base62(3)}8Q~${this.base62(34)}`,
    github_classic: () => this.checksummedToken("ghp_"),
    github_classic_bad_checksum: () => this.checksummedToken("ghp_", { validChecksum: false }),
    github_oauth: () => this.checksummedToken("gho_"),
    github_installation: () => this.checksummedToken("ghs_"),
    github_user_to_server: () => this.checksummedToken("ghu_"),
    github_refresh: () => this.checksummedToken("ghr_"),
    github_fine_grained: () => `github_pat_${this.base62(22)}_${this.base62(59)}`,
    gitlab_token: () => `glpat-${this.base64url(20)}`,
    slack_bot_token: () =>
      `xoxb-${this.characters(alphabets.digits, 12)}-${this.characters(alphabets.digits, 13)}-${this.base62(24)}`,
    slack_webhook: () =>
      `https://hooks.slack.com/services/T${this.characters(alphabets.upperAlnum, 10)}/B${this.characters(alphabets.upperAlnum, 10)}/${this.base62(24)}`,
    stripe_live_key: () => `sk_live_${this.base62(99)}`,
    stripe_restricted_key: () => `rk_live_${this.base62(99)}`,
    stripe_webhook_secret: () => `whsec_${this.base62(32)}`,
    openai_legacy_key: () => `sk-${this.base62(20)}T3BlbkFJ${this.base62(20)}`,
    openai_project_key: () => `sk-proj-${this.base64url(74)}T3BlbkFJ${this.base64url(74)}`,
    anthropic_key: () => `sk-ant-api03-${this.base64url(93)}AA`,
    google_oauth_client_secret: () => `GOCSPX-${this.base64url(28)}`,
    twilio_api_key: () => `SK${this.hex(32)}`,
    twilio_auth_token: () => this.hex(32),
    sendgrid_key: () => `SG.${this.base64url(22)}.${this.base64url(43)}`,
    npm_token: () => this.checksummedToken("npm_"),
    rsa_private_key: () => this.pemBlock("RSA PRIVATE KEY"),
    ec_private_key: () => this.pemBlock("EC PRIVATE KEY", 3),
    openssh_private_key: () => this.pemBlock("OPENSSH PRIVATE KEY"),
    pgp_private_key: () => this.pemBlock("PGP PRIVATE KEY BLOCK"),
    jwt: () => this.jwt(),
    postgres_url: () => `postgres://app:${this.base62(20)}@db.internal:5432/app?sslmode=require`,
    mongodb_url: () => `mongodb+srv://svc-reader:${this.base62(16)}@cluster0.example-db.net/orders`,
    generic_secret: () => `${this.base62(10)}7${this.base62(21)}`,
  };
}

const alphabets = {
  base62: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  base32: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
  hex: "0123456789abcdef",
  digits: "0123456789",
  upperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
} as const;

function encodeBase62(value: number): string {
  let remaining = value;
  let digits = "";
  do {
    digits = alphabets.base62.charAt(remaining % 62) + digits;
    remaining = Math.floor(remaining / 62);
  } while (remaining > 0);
  return digits;
}

function corrupt(checksum: string): string {
  const last = checksum.charAt(5);
  return checksum.slice(0, 5) + (last === "0" ? "1" : "0");
}
