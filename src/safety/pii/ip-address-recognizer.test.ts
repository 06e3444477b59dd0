import { describe, expect, it } from "vitest";
import { detectedValues } from "../../../test/support/detected-values.js";

describe("IP_ADDRESS", () => {
  it("finds IPv4 and IPv6 addresses", () => {
    expect(detectedValues("from 192.168.10.4 and 2001:db8::8a2e:370:7334", "IP_ADDRESS")).toEqual([
      "192.168.10.4",
      "2001:db8::8a2e:370:7334",
    ]);
  });
  it("rejects octets over 255, version numbers and clock times", () => {
    expect(detectedValues("999.1.1.1 or v1.2.3 at 10:30:00", "IP_ADDRESS")).toEqual([]);
  });
});
