/**
 * The pure domain core: records, rules, clocks, merge and the wire protocol,
 * and the two tools the tablet and the server share (SHA-256, a mutex). No IO.
 */
export * from './common';
export * from './ids';
export * from './text';
export * from './hlc';
export * from './mutex';
export * from './sha256';
export * from './tables';
export * from './migrations';
export * from './merge';
export * from './protocol';
export * from './records/unit';
export * from './records/idea';
export * from './records/support';
export * from './records/promptSession';
export * from './records/evaluationProcedure';
export * from './records/evaluation';
export * from './records/decision';
export * from './records/unitDecision';
export * from './records/steeringDecision';
export * from './records/learning';
export * from './records/erasure';
export * from './records/benefit';
export * from './records/benefitResult';
export * from './records/ladderStep';
export * from './records/followUp';
export * from './rules/decision';
export * from './rules/load';
export * from './rules/responseTime';
export * from './rules/procedure';
export * from './rules/evaluation';
export * from './rules/session';
export * from './rules/ideaStatus';
export * from './rules/references';
export * from './rules/personalData';
export * from './rules/library';
export * from './rules/change';
export * from './rules/due';
export * from './rules/receipt';
