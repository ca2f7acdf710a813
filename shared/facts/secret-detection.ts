// Recognizes credentials written as literal values: by what the value looks like, or by the name it is given.
// Callers get a kind of secret, never the value, so nothing downstream can leak it.

interface ValuePattern {
  kind: string;
  pattern: RegExp;
}

const awsAccessKeyId = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

const valuePatterns: readonly ValuePattern[] = [
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'AWS access key ID', pattern: awsAccessKeyId },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'Slack token', pattern: /\bxox[bpoa]-[A-Za-z0-9-]{10,}/ },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** `scheme://user:password@host`, with a password that is not a reference like `$(DB_PASSWORD)`. */
const credentialUrl = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@[^\s/@]+/i;

/** What an AWS secret access key looks like; alone it is any base64 string, beside an access key ID it is the secret. */
const awsSecretAccessKey = /^[A-Za-z0-9/+]{40}$/;

/** `$(VAR)` Kubernetes expansion, `${VAR}` / `{{ x }}` / `<x>` templates, `%s`. */
const reference = /\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|\{\{[^}]*\}\}|^<[^>]*>$|%[sd]/;

const placeholderWords = new Set([
  'none', 'null', 'nil', 'undefined', 'true', 'false', 'yes', 'no', 'todo', 'tbd', 'fixme', 'placeholder', 'example',
  'dummy', 'redacted', 'replaceme', 'replace_me', 'replace-me', 'secret', 'password', 'token',
]);

/** Empty, masked (`****`, `xxxx`), a template or a reference, or a word standing for "fill me in". */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (/^([*x.\-_#])\1*$/i.test(trimmed)) return true;
  if (reference.test(trimmed)) return true;
  return placeholderWords.has(trimmed.toLowerCase()) || /^your[_-]/i.test(trimmed);
}

/** Kind of credential a value is, whatever it is called, or undefined. */
export function secretKindOfValue(value: string): string | undefined {
  for (const { kind, pattern } of valuePatterns) if (pattern.test(value)) return kind;
  const url = credentialUrl.exec(value);
  if (url && !isPlaceholder(url[1]!)) return 'URL with an embedded password';
  return undefined;
}

export function isAwsAccessKeyId(value: string): boolean {
  return awsAccessKeyId.test(value);
}

export function looksLikeAwsSecretAccessKey(value: string): boolean {
  return awsSecretAccessKey.test(value.trim());
}

const secretWords = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY']);
/** Shell variables that only look like credentials: the working directory. */
const shellVariables = new Set(['PWD', 'OLDPWD']);
const secretPairs = new Set(['API KEY', 'ACCESS KEY', 'PRIVATE KEY', 'SECRET KEY', 'SIGNING KEY', 'ENCRYPTION KEY', 'AUTH KEY', 'MASTER KEY']);
/** Last words of names that hold something about a secret, not the secret: `TOKEN_FILE`, `SECRET_NAME`, `ACCESS_KEY_ID`. */
const notSecretEndings = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'ID', 'ARN', 'REF', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'HEADER', 'TYPE', 'MODE',
  'ENABLED', 'ENABLE', 'DISABLED', 'REQUIRED', 'TTL', 'LENGTH', 'EXPIRY', 'EXPIRATION', 'TIMEOUT', 'SECONDS', 'MINUTES',
  'HOURS', 'SIZE', 'COUNT', 'MIN', 'MAX', 'VERSION', 'REGION', 'ISSUER', 'AUDIENCE', 'POLICY', 'ROLE', 'PROVIDER',
  'FORMAT', 'ALGORITHM', 'FIELD', 'KEYS', 'LOCATION', 'STORE', 'PREFIX', 'USER', 'USERNAME',
]);

/** Words of an environment variable name: `dbPassword` and `DB_PASSWORD` both give `DB PASSWORD`. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
}

/** A name that says its value is a credential (`DB_PASSWORD`, `apiKey`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (shellVariables.has(name.toUpperCase())) return false;
  if (words.length === 0 || notSecretEndings.has(words[words.length - 1]!)) return false;
  if (words.some((word) => secretWords.has(word) || /PASSWORD|PASSWD/.test(word))) return true;
  return words.some((word, i) => i > 0 && secretPairs.has(`${words[i - 1]} ${word}`));
}
