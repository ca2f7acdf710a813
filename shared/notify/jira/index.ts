// The Jira adapter: ticket groups and bodies, ADF and wiki rendering, a REST client for both flavours.
export * from './client.ts';
export * from './document.ts';
export * from './issue.ts';
