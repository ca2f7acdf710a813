// A local stand-in for Secrets Manager's GetSecretValue (AWS JSON 1.1), so the notify functions read their Slack
// and Jira credentials the way they do in AWS. Point the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecretsManager {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Secret ids asked for, in order (never the values). */
  readonly reads: string[];
  stop(): Promise<void>;
}

export async function startLocalSecretsManager(secrets: Readonly<Record<string, string>>): Promise<LocalSecretsManager> {
  const reads: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'UnknownOperationException', message: `the local Secrets Manager only implements GetSecretValue, not ${String(request.headers['x-amz-target'])}` });
      }
      let secretId: string;
      try {
        const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown }).SecretId;
        secretId = typeof id === 'string' ? id : '';
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'the body is not JSON' });
      }
      reads.push(secretId);
      const value = secrets[secretId];
      if (value === undefined) return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      return reply(200, { ARN: `arn:aws:secretsmanager:local:000000000000:secret:${secretId}`, Name: secretId, SecretString: value, VersionId: 'local', VersionStages: ['AWSCURRENT'], CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
