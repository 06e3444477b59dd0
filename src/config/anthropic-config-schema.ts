import { z } from "zod";

/** `providers[].anthropicVersion` (type anthropic only): an `anthropic-version` date such as `2023-06-01`. */
export const anthropicVersionSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2023-06-01");
