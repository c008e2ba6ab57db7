// The publish gate: pure checks plus the error that reports them.
export {
  DEFAULT_MAX_REJECTED_SHARE,
  isCalendarDate,
  validateQuotes,
  type GateInput,
  type GateOptions,
} from './gate.ts';
export { ValidationError, type GateCheck, type GateFailure } from './errors.ts';
