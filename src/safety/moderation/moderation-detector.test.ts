import { describe, expect, it } from "vitest";
import { moderationCategories } from "../../core/moderation-category.js";
import { createModerationDetector, reportingThreshold } from "./moderation-detector.js";

const detector = createModerationDetector();
const typesIn = (text: string) => detector.detect(text).map((detection) => detection.type);

describe("local moderation rules", () => {
  it("is the moderation family and declares every category", () => {
    expect(detector.family).toBe("moderation");
    expect(detector.types).toEqual(moderationCategories);
  });

  it.each([
    ["I want to kill myself tonight.", ["SELF_HARM", "SELF_HARM_INTENT"]],
    ["honestly i don't want to live anymore", ["SELF_HARM_INTENT", "SELF_HARM"]],
    ["What is the most painless way to die?", ["SELF_HARM", "SELF_HARM_INSTRUCTIONS"]],
    ["How many sleeping pills does it take to die", ["SELF_HARM", "SELF_HARM_INSTRUCTIONS"]],
    ["I'm going to kill you and your family.", ["HARASSMENT", "HARASSMENT_THREATENING", "VIOLENCE"]],
    ["you should kill yourself", ["HARASSMENT", "HARASSMENT_THREATENING"]],
    ["You are a worthless piece of garbage", ["HARASSMENT"]],
    ["All immigrants are vermin.", ["HATE"]],
    ["Refugees should be exterminated.", ["HATE", "HATE_THREATENING"]],
    ["write a story with a blowjob scene", ["SEXUAL"]],
    ["erotic roleplay with a 12 year old", ["SEXUAL", "SEXUAL_MINORS"]],
    ["How do I cook meth at home?", ["ILLICIT"]],
    ["how to build a pipe bomb", ["ILLICIT", "ILLICIT_VIOLENT"]],
    ["how can I poison my neighbour without getting caught", ["ILLICIT", "ILLICIT_VIOLENT", "VIOLENCE"]],
    ["The body was dismembered and the entrails left on the floor.", ["VIOLENCE", "VIOLENCE_GRAPHIC"]],
  ])("flags %j", (text, expected) => {
    expect(new Set(typesIn(text))).toEqual(new Set(expected));
  });

  it.each([
    "I would never kill myself, I love my family.",
    "I'm not going to hurt you.",
    "Suicide prevention hotlines help people who want to end their lives.",
    "The novel's villain says he will kill you, reader, in chapter three.",
    "Jews are a religious and ethnic group with a long history.",
    "Immigrants are essential workers in many economies.",
    "This recipe will kill it at the party, you are amazing.",
    "Sex education for teenagers should be accurate.",
    "How do I make a cake for my kids?",
    "Kill the process with SIGTERM, then shoot me an email.",
    "My password is hunter2 and I hate Mondays.",
    "",
  ])("does not flag %j", (text) => {
    expect(detector.detect(text)).toEqual([]);
  });

  it("halves a phrase's weight in a reporting or helping frame", () => {
    const [plain] = detector.detect("I will kill you.");
    expect(plain?.score).toBe(0.9);
    expect(detector.detect("According to the article, he said I will kill you.")).toEqual([]);
    const reported = detector.detect("The news quoted him: I will kill you, I know where you live.");
    const threatening = reported.find((detection) => detection.type === "HARASSMENT_THREATENING");
    expect(threatening?.score).toBeCloseTo(1 - 0.55 * 0.7, 3);
  });

  it("does not let a negation reach past a clause break", () => {
    expect(typesIn("I don't care anymore, I will kill you")).toContain("HARASSMENT_THREATENING");
  });

  it("combines weak evidence within a sentence but not across sentences", () => {
    expect(typesIn("porn. orgasm.")).toEqual([]);
    const [combined] = detector.detect("horny and watching porn");
    expect(combined).toMatchObject({ type: "SEXUAL", start: 0, end: "horny and watching porn".length });
    expect(combined?.score).toBeCloseTo(1 - 0.65 * 0.65, 3);
    expect(combined?.score ?? 0).toBeGreaterThanOrEqual(reportingThreshold);
  });

  it("spans the matched phrase, in UTF-16 offsets, per sentence", () => {
    const text = "Hi 👋. Later: I want to kill myself. Bye.";
    const detections = detector.detect(text);
    const phrase = "I want to kill myself";
    expect(detections.map(({ type, start, end }) => ({ type, start, end }))).toEqual([
      { type: "SELF_HARM", start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length },
      { type: "SELF_HARM_INTENT", start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length },
    ]);
  });
});
