// Reads the notifiers' credentials from Secrets Manager, once per container, without ever echoing a value.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock, type Clock } from '../model/cross-cutting.ts';

export interface SecretLoaderOptions {
  /** How long a value is reused before it is read again (rotation); default 15 minutes. */
  ttlMs?: number;
  clock?: Clock;
}

export class SecretLoader {
  readonly #client: Pick<SecretsManagerClient, 'send'>;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { value: string; at: number }>();

  constructor(client: Pick<SecretsManagerClient, 'send'>, options: SecretLoaderOptions = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? 15 * 60 * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  async get(secretId: string): Promise<string> {
    const cached = this.#cache.get(secretId);
    if (cached && this.#clock.now().getTime() - cached.at < this.#ttlMs) return cached.value;
    let value: string | undefined;
    try {
      const out = await this.#client.send(new GetSecretValueCommand({ SecretId: secretId }));
      value = out.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new Error(
        `Secret ${secretId} could not be read (${name}). Check that it exists in this region and that the ` +
          'function role may call secretsmanager:GetSecretValue on it (and kms:Decrypt on its key).',
        { cause: error },
      );
    }
    if (value === undefined || value === '') {
      throw new Error(`Secret ${secretId} has no string value; store the credentials as a SecretString (JSON).`);
    }
    this.#cache.set(secretId, { value, at: this.#clock.now().getTime() });
    return value;
  }

  /** Forget a value (after the service rejected it), so the next call reads a rotated one. */
  forget(secretId: string): void {
    this.#cache.delete(secretId);
  }
}

/** A secret's JSON object, or an error naming the secret and the expected fields (never the value). */
export function secretJson(value: string, secretId: string, expected: string): Record<string, unknown> | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below, which does not quote the value
  }
  throw new Error(`Secret ${secretId} is not valid JSON; expected ${expected}.`);
}

export function stringField(object: Record<string, unknown>, field: string): string | undefined {
  const value = object[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
