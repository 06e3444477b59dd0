import { GatewayError, isGatewayError } from "../core/gateway-error.js";

/** The ways a relayed stream can end early, as the errors every dialect's relay signals to its client. */
export const streamInterruption = {
  malformed: (event: unknown) =>
    new GatewayError(
      "GW_ERR_STREAM_INTERRUPTED",
      `The upstream sent a malformed stream event (${JSON.stringify(event)}); the stream was stopped.`,
    ),
  endedEarly: () =>
    new GatewayError("GW_ERR_STREAM_INTERRUPTED", "The upstream stream ended before it was complete."),
  brokeOff: (error: unknown) =>
    new GatewayError(
      "GW_ERR_STREAM_INTERRUPTED",
      `The upstream stream broke off: ${isGatewayError(error) ? error.message : String(error)}`,
      { cause: error },
    ),
};
