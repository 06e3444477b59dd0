import { describe, expect, it } from "vitest";
import { createPiiDetector } from "./create-pii-detector.js";

const detector = createPiiDetector();

/** The substrings the default detector reports as `type`. */
function detectedValues(text: string, type: string): string[] {
  return detector
    .detect(text)
    .filter((detection) => detection.type === type)
    .map((detection) => text.slice(detection.start, detection.end));
}

describe("PERSON and TITLE", () => {
  it("finds names with a known first name", () => {
    expect(detectedValues("Please forward this to Margaret Thornbury tomorrow.", "PERSON")).toEqual([
      "Margaret Thornbury",
    ]);
  });
  it("finds unknown names after an honorific, and the honorific as TITLE", () => {
    const text = "The report was signed by Dr. Ilkka Vääräniemi.";
    expect(detectedValues(text, "PERSON")).toEqual(["Ilkka Vääräniemi"]);
    expect(detectedValues(text, "TITLE")).toEqual(["Dr."]);
  });
  it("finds a single unknown name after a strong cue", () => {
    expect(detectedValues("Hello, my name is Oyelaran", "PERSON")).toEqual(["Oyelaran"]);
  });
  it("does not take capitalised ordinary words for names", () => {
    expect(detectedValues("Personal Info: Mission Statement and Quarterly Results", "PERSON")).toEqual([]);
  });
  it("reports a job title on a line of its own", () => {
    expect(detectedValues("Ada Byron\nSenior accountant\nAcme Ltd", "TITLE")).toEqual(["Senior accountant"]);
  });
});

describe("LOCATION", () => {
  it("finds countries and cities from the gazetteers", () => {
    expect(detectedValues("We flew from Copenhagen to Argentina.", "LOCATION")).toEqual([
      "Copenhagen",
      "Argentina",
    ]);
  });
  it("finds a lower-case city only right after a place preposition", () => {
    expect(detectedValues("we returned to hamburg by train", "LOCATION")).toEqual(["hamburg"]);
    expect(detectedValues("a hamburg with fries", "LOCATION")).toEqual([]);
  });
  it("does not report ordinary capitalised words that are also small towns", () => {
    expect(detectedValues("Mission Statement: Union members only.", "LOCATION")).toEqual([]);
  });
});

describe("STREET_ADDRESS", () => {
  it("finds an English street address with its flat", () => {
    expect(detectedValues("Send it to 221 Baker Street, Apt. 4 please", "STREET_ADDRESS")).toEqual([
      "221 Baker Street, Apt. 4",
    ]);
  });
  it("finds continental street forms and the town lines after them", () => {
    const text = "Address:\nRue des Lilas 14\nLyon\nFrance 69003";
    expect(detectedValues(text, "STREET_ADDRESS")).toEqual(["Rue des Lilas 14\nLyon\nFrance 69003"]);
    expect(detectedValues("He lives at Mannerheimintie 12, Helsinki", "STREET_ADDRESS")).toEqual([
      "Mannerheimintie 12, Helsinki",
    ]);
  });
  it("finds post-office boxes", () => {
    expect(detectedValues("Mail: P.O. Box 1234", "STREET_ADDRESS")).toEqual(["P.O. Box 1234"]);
  });
  it("does not take a number before ordinary words for an address", () => {
    expect(detectedValues("During 2017 we read 5 Musicians Of The Year", "STREET_ADDRESS")).toEqual([]);
  });
});

describe("ORGANIZATION and NRP", () => {
  it("finds organisations by their company word and after employment cues", () => {
    expect(detectedValues("She joined Northwind Traders Inc. in May", "ORGANIZATION")).toEqual([
      "Northwind Traders Inc.",
    ]);
    expect(detectedValues("I work for Contoso", "ORGANIZATION")).toEqual(["Contoso"]);
  });
  it("finds nationalities and religious or political groups", () => {
    expect(detectedValues("a Portuguese poet and a Buddhist monk", "NRP")).toEqual([
      "Portuguese",
      "Buddhist",
    ]);
    expect(detectedValues("polish the silver", "NRP")).toEqual([]);
  });
});
