/**
 * Typed failures of the admin and mentor workflows. `kind` tells a front end what happened:
 * `input` — the request itself is wrong (unknown e-mail, non-numeric points: CLI exit 2);
 * `refused` — the request is understood but the rules forbid it (CLI exit 3).
 * Either way nothing has been written: the pure functions throw before returning a plan.
 */
export type RuleErrorKind = 'input' | 'refused';

export class RuleError extends Error {
  constructor(
    readonly kind: RuleErrorKind,
    /** Stable machine code, e.g. `NOT_MENTOR`, `NOT_READY`, `UNKNOWN_EMAIL`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad request: the caller should fix the input. */
export class InvalidRequest extends RuleError {
  constructor(code: string, message: string) {
    super('input', code, message);
  }
}

/** Approval / revoke not allowed (wrong person, row not ready, already approved…). */
export class ApprovalRefused extends RuleError {
  constructor(code: string, message: string) {
    super('refused', code, message);
  }
}

/** Enroll / replace / match decision not allowed in the current state of the workbook. */
export class EnrollmentRefused extends RuleError {
  constructor(code: string, message: string) {
    super('refused', code, message);
  }
}
