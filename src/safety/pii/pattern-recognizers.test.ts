import { describe, expect, it } from "vitest";
import type { Detection } from "../../core/detection.js";
import { createPiiDetector } from "./create-pii-detector.js";
import { passesLuhn } from "./credit-card-recognizer.js";

const detector = createPiiDetector();

/** The substrings the default detector reports as `type`. */
function detectedValues(text: string, type: string): string[] {
  return detector
    .detect(text)
    .filter((detection) => detection.type === type)
    .map((detection) => text.slice(detection.start, detection.end));
}

function detections(text: string): Detection[] {
  return detector.detect(text);
}

describe("EMAIL_ADDRESS", () => {
  it("finds addresses and leaves trailing sentence punctuation out", () => {
    expect(detectedValues("Write to jane.doe+news@example.co.uk.", "EMAIL_ADDRESS")).toEqual([
      "jane.doe+news@example.co.uk",
    ]);
  });
  it("does not report a handle or an address without a domain", () => {
    expect(detectedValues("ping @jane or user@localhost", "EMAIL_ADDRESS")).toEqual([]);
  });
});

describe("PHONE_NUMBER", () => {
  it("finds international and national formats", () => {
    const text = "Call +44 20 7946 0958 or (415) 555-2671 today";
    expect(detectedValues(text, "PHONE_NUMBER")).toEqual(["+44 20 7946 0958", "(415) 555-2671"]);
  });
  it("ignores short numbers and years", () => {
    expect(detectedValues("In 2019 we sold 1234 units", "PHONE_NUMBER")).toEqual([]);
  });
});

describe("CREDIT_CARD", () => {
  it("reports Luhn-valid numbers, grouped or not", () => {
    expect(detectedValues("card 4111 1111 1111 1111 and 5500005555555559", "CREDIT_CARD")).toEqual([
      "4111 1111 1111 1111",
      "5500005555555559",
    ]);
  });
  it("rejects numbers that fail the Luhn check", () => {
    expect(detectedValues("card 4111 1111 1111 1112", "CREDIT_CARD")).toEqual([]);
    expect(passesLuhn("79927398713")).toBe(true);
    expect(passesLuhn("79927398710")).toBe(false);
  });
});

describe("IBAN_CODE", () => {
  it("reports IBANs in paper and electronic format, not the words after", () => {
    const text = "Pay GB82 WEST 1234 5698 7654 32 to me, or DE89370400440532013000.";
    expect(detectedValues(text, "IBAN_CODE")).toEqual([
      "GB82 WEST 1234 5698 7654 32",
      "DE89370400440532013000",
    ]);
  });
  it("rejects a wrong mod-97 check", () => {
    expect(detectedValues("IBAN GB82 WEST 1234 5698 7654 33", "IBAN_CODE")).toEqual([]);
  });
});

describe("US_SSN", () => {
  it("reports an SSN with context", () => {
    expect(detectedValues("My SSN is 536-22-8726", "US_SSN")).toEqual(["536-22-8726"]);
  });
  it("rejects numbers never issued", () => {
    expect(detectedValues("SSN 000-12-3456, 666-12-3456, 912-34-5678, 536-00-8726", "US_SSN")).toEqual([]);
  });
});

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

describe("URL and DOMAIN_NAME", () => {
  it("reports URLs without trailing punctuation and bare domains", () => {
    const text = "See https://example.org/a?b=1. Or visit www.example.co.uk";
    expect(detectedValues(text, "URL")).toEqual(["https://example.org/a?b=1"]);
    expect(detectedValues(text, "DOMAIN_NAME")).toEqual(["www.example.co.uk"]);
  });
  it("does not report file names or the domain of an e-mail address", () => {
    expect(detectedValues("run setup.py and mail a@example.com", "DOMAIN_NAME")).toEqual([]);
  });
});

describe("DATE_TIME and DATE_OF_BIRTH", () => {
  it("reports dates, and a date with birth context as DATE_OF_BIRTH instead", () => {
    const text = "Meeting on 2024-01-15 10:00. She was born on 3/14/1985.";
    expect(detectedValues(text, "DATE_TIME")).toEqual(["2024-01-15 10:00"]);
    expect(detectedValues(text, "DATE_OF_BIRTH")).toEqual(["3/14/1985"]);
  });
  it("reports a bare year only with context", () => {
    expect(detectedValues("founded in 1988", "DATE_TIME")).toEqual(["1988"]);
    expect(detectedValues("room 1988 is free", "DATE_TIME")).toEqual([]);
  });
  it("rejects impossible numeric dates", () => {
    expect(detectedValues("code 45/78/2020", "DATE_TIME")).toEqual([]);
  });
});

describe("US_DRIVER_LICENSE", () => {
  it("reports a licence number only next to licence context", () => {
    expect(detectedValues("driver's license: D1234567", "US_DRIVER_LICENSE")).toEqual(["D1234567"]);
    expect(detectedValues("order D1234567 shipped", "US_DRIVER_LICENSE")).toEqual([]);
  });
});

describe("AGE and ZIP_CODE", () => {
  it("reports ages stated as ages", () => {
    expect(detectedValues("a 62-year-old patient, aged 40, turned 33", "AGE")).toEqual(["62", "40", "33"]);
    expect(detectedValues("he bought 40 apples", "AGE")).toEqual([]);
  });
  it("reports labelled postcodes", () => {
    expect(detectedValues("my zip code is 94105-1234", "ZIP_CODE")).toEqual(["94105-1234"]);
    expect(detectedValues("Postcode: SW1A 1AA", "ZIP_CODE")).toEqual(["SW1A 1AA"]);
  });
});

describe("offsets", () => {
  it("are UTF-16 offsets, correct after astral characters", () => {
    const text = "😀🎉 𝒳 mail jane@example.com or call +44 20 7946 0958";
    for (const detection of detections(text)) {
      const value = text.slice(detection.start, detection.end);
      expect(["jane@example.com", "+44 20 7946 0958"]).toContain(value);
    }
    expect(detections(text).map((detection) => detection.start)).toEqual([
      text.indexOf("jane@"),
      text.indexOf("+44"),
    ]);
  });
});
