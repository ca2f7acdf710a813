// Effective-permission analysis (who can do what), used by the RBAC rules, attack paths and the who-can CLI.
// Pure: no I/O, no clients, no environment.
export * from './resources.ts';
export * from './policy-rule.ts';
export * from './subjects.ts';
export * from './grants.ts';
export * from './risk.ts';
export * from './eks.ts';
export * from './analysis.ts';
export * from './alerting.ts';
