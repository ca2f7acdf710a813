// Masks credentials in text that goes to logs, error messages and reports: EKS bearer tokens, Authorization headers,
// the signing parameters of a presigned STS URL, the token formats of the services Periscope or its users talk to
// (Slack, GitHub, GitLab, Google, Atlassian, npm, AWS), JWTs, PEM private keys, passwords in URLs, values of
// credential-named fields, and strings shaped like AWS secret keys or session tokens. Used where text from elsewhere
// (a credential provider, an API server, the network stack) is passed on: the token provider, the Kubernetes client,
// the EKS calls and the Lambda logger. Pattern-based, so it over-masks rather than under-masks — except for bare
// lowercase hex, which is what fingerprints, image digests, commit ids and request ids are made of: a hex token is
// masked when it is named (`token=…`, `X-Api-Key: …`, `"secret": "…"`), never on its own. UUIDs stay readable too.

const REDACTED = '<redacted>';

/** The end of a value in a message, a header, a query string or a printed object. */
const valueChars = String.raw`[^\s"'\`,;}&<>]`;

/** Field names whose value is a credential: the name ends with one of these (`DB_PASSWORD`, `x-api-key`, `clientSecret`). */
const credentialName = String.raw`[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)`;

const patterns: readonly [RegExp, string][] = [
  // PEM private keys, whole blocks (RSA, EC, OPENSSH, ENCRYPTED, PKCS#8), also with escaped newlines or cut short.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, `-----BEGIN $1PRIVATE KEY-----${REDACTED}-----END $1PRIVATE KEY-----`],
  // `k8s-aws-v1.` + base64url of the presigned URL (also what a proxy might echo back).
  [/k8s-aws-v1\.(?!<redacted>)[A-Za-z0-9_\-=%]*/g, `k8s-aws-v1.${REDACTED}`],
  // An Authorization header value, whatever its scheme (`Bearer`, `Basic`, `token`, `Negotiate`…).
  [/\b((?:Proxy-)?Authorization)(["']?\s*[:=]\s*["']?)(?:[A-Za-z-]+(?:\s+|%20))?[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  [/\b(Bearer|Basic)(\s+|%20)(?!<redacted>)[^\s"',;}]+/gi, `$1 ${REDACTED}`],
  // The presigned URL's query: signature, credential scope (the access key id) and session token.
  [/(X-Amz-(?:Signature|Credential|Security-Token))(=|":\s*"|:\s*)[^&\s"',;}]+/gi, `$1$2${REDACTED}`],
  // A password in a URL: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // Slack incoming-webhook and workflow URLs: the path is the credential.
  [/\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g, `https://hooks.slack.com/${REDACTED}`],
  // Service token formats, by their documented prefixes.
  [/\b(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]{6,}/g, REDACTED], // Slack bot, user, app-level, refresh
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED], // GitHub
  [/\bgl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_-]{16,}/g, REDACTED], // GitLab
  [/\bya29\.[A-Za-z0-9_.-]{10,}/g, REDACTED], // Google OAuth access token
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED], // Google API key
  [/\bATAT{2}[A-Za-z0-9_\-=]{20,}/g, REDACTED], // Atlassian API token (ATATT…)
  [/\bnpm_[A-Za-z0-9]{36}\b/g, REDACTED], // npm
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, REDACTED], // Stripe
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}\b/g, REDACTED], // AWS access key id
  // A JWT: header.payload.signature, each base64url, the first two JSON objects (`eyJ`).
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Named credential fields in printed objects, messages, environment listings and query strings.
  [new RegExp(String.raw`\b(${credentialName})(["']?\s*[:=]\s*["']?)(?!<redacted>)${valueChars}+`, 'gi'), `$1$2${REDACTED}`],
  // Base64 runs of 40+ characters mixing cases and digits: AWS secret access keys (40) and session tokens
  // (hundreds). Paths and names break on `.`, `-` or `_`, or lack one of the three classes.
  [/(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40,}={0,2}(?![A-Za-z0-9/+=])/g, REDACTED],
];

/** The text with every credential-looking part replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

/** An error's message, redacted (for errors from code that may print what it was given). */
export function redactedMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
