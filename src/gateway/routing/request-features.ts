/** What a request asks of a model beyond text; each is computed on first read only. */
export class RequestFeatures {
  #tools: boolean | undefined;
  #images: boolean | undefined;
  #jsonMode: boolean | undefined;

  constructor(private readonly body: Readonly<Record<string, unknown>>) {}

  /** Tools (or legacy functions) are offered to the model. */
  get tools(): boolean {
    this.#tools ??= nonEmptyArray(this.body.tools) || nonEmptyArray(this.body.functions);
    return this.#tools;
  }

  /** Some message carries an image part. */
  get images(): boolean {
    this.#images ??= hasImagePart(this.body.messages);
    return this.#images;
  }

  /** `response_format` asks for JSON (`json_object` or `json_schema`). */
  get jsonMode(): boolean {
    if (this.#jsonMode === undefined) {
      const format = this.body.response_format;
      const type =
        format !== null && typeof format === "object" ? (format as { type?: unknown }).type : undefined;
      this.#jsonMode = type === "json_object" || type === "json_schema";
    }
    return this.#jsonMode;
  }
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

export function isImagePart(part: unknown): boolean {
  if (part === null || typeof part !== "object") return false;
  const type = (part as { type?: unknown }).type;
  return type === "image_url" || type === "input_image" || type === "image";
}

function hasImagePart(messages: unknown): boolean {
  if (!Array.isArray(messages)) return false;
  for (const message of messages) {
    const content =
      message !== null && typeof message === "object"
        ? (message as { content?: unknown }).content
        : undefined;
    if (Array.isArray(content) && content.some(isImagePart)) return true;
  }
  return false;
}
