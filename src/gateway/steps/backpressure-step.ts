import type { AdmissionController } from "../admission-controller.js";
import type { GatewayStep } from "../compose-steps.js";

/**
 * Admission control, after routing (it needs the planned targets for per-target limits): runs the request at
 * once, queues it, or sheds it with 503 and `Retry-After`. The slot is given back in `Gateway.complete`.
 */
export function backpressureStep(admission: AdmissionController): GatewayStep {
  return (context, next) => {
    const waiting = admission.admit(context);
    return waiting === undefined ? next() : waiting.then(next);
  };
}
