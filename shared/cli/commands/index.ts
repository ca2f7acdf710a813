// The `periscope` commands: one line per command module (each exports `register(program)`).
export { register as access } from './access.ts';
export { register as findings } from './findings.ts';
export { register as fix } from './fix.ts';
export { register as fleet } from './fleet.ts';
export { register as rules } from './rules.ts';
export { register as scan } from './scan.ts';
export { register as whoCan } from './who-can.ts';
