import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moderationCategories } from "../../core/moderation-category.js";
import {
  buildOpenAiModerationRequest,
  openAiModerationCategories,
  translateOpenAiModerationResponse,
} from "./openai-moderation.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

const request = JSON.parse(fixture("moderation-request.json")) as { model: string; input: string[] };
const texts = request.input;

describe("OpenAI moderation translation", () => {
  it("builds the recorded request body", () => {
    expect(JSON.parse(buildOpenAiModerationRequest(texts, "omni-moderation-latest"))).toEqual(request);
  });

  it("maps every OpenAI category to one of ours, and covers all of ours", () => {
    expect(new Set(Object.values(openAiModerationCategories))).toEqual(new Set(moderationCategories));
  });

  it("turns the recorded response into whole-text detections with OpenAI's scores", () => {
    const [threat, calm] = translateOpenAiModerationResponse(
      JSON.parse(fixture("moderation-response.json")),
      texts,
    );
    const length = texts[0]?.length ?? -1;
    expect(threat).toEqual([
      { family: "moderation", type: "HARASSMENT", start: 0, end: length, score: 0.8792564815427438 },
      {
        family: "moderation",
        type: "HARASSMENT_THREATENING",
        start: 0,
        end: length,
        score: 0.8493102245264373,
      },
      { family: "moderation", type: "VIOLENCE", start: 0, end: length, score: 0.9218196058201791 },
    ]);
    expect(calm).toEqual([]);
  });

  it("keeps low-scoring categories when asked for them", () => {
    const [, calm] = translateOpenAiModerationResponse(
      JSON.parse(fixture("moderation-response.json")),
      texts,
      {
        minimumScore: 0.0001,
      },
    );
    expect(calm).toEqual([
      {
        family: "moderation",
        type: "VIOLENCE",
        start: 0,
        end: texts[1]?.length,
        score: 0.00016534099828336728,
      },
    ]);
  });

  it("reads legacy text-moderation responses without illicit categories", () => {
    const input = ["I don't want to be here anymore."];
    const [detections] = translateOpenAiModerationResponse(
      JSON.parse(fixture("moderation-legacy-response.json")),
      input,
    );
    expect(detections?.map((detection) => [detection.type, detection.score])).toEqual([
      ["SELF_HARM", 0.9627814888954163],
      ["SELF_HARM_INTENT", 0.9541521668434143],
    ]);
  });

  it("includes a flagged category even below the minimum score", () => {
    const body = {
      id: "modr-1",
      model: "omni-moderation-latest",
      results: [{ flagged: true, categories: { hate: true }, category_scores: { hate: 0.004 } }],
    };
    expect(translateOpenAiModerationResponse(body, ["x"])[0]).toEqual([
      { family: "moderation", type: "HATE", start: 0, end: 1, score: 0.004 },
    ]);
  });

  it.each([
    ["an error object", JSON.parse(fixture("moderation-error-400.json"))],
    ["a result without scores", { id: "m", model: "m", results: [{ flagged: false, categories: {} }] }],
    ["too few results", { id: "m", model: "m", results: [] }],
    ["not an object", "modr"],
  ])("rejects %s as an invalid upstream response", (_name, body) => {
    expect(() => translateOpenAiModerationResponse(body, ["one"])).toThrowError(
      expect.objectContaining({ code: "GW_ERR_UPSTREAM_INVALID_RESPONSE" }),
    );
  });
});
