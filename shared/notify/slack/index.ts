// The Slack adapter: a pure message builder and a sender.
export * from './message.ts';
export * from './sender.ts';
