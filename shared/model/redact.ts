// Masks credentials in text that goes to logs and error messages: EKS bearer tokens, bearer headers, the signing
// parameters of a presigned STS URL, and strings shaped like AWS secret keys or session tokens. Used where text
// from elsewhere (a credential provider, an API server, the network stack) is passed on: the token provider, the
// Kubernetes client, the EKS calls and the Lambda logger. Pattern-based, so it over-masks rather than under-masks.

const REDACTED = '<redacted>';

const patterns: readonly [RegExp, string][] = [
  // `k8s-aws-v1.` + base64url of the presigned URL (also what a proxy might echo back).
  [/k8s-aws-v1\.[A-Za-z0-9_\-=%]*/g, `k8s-aws-v1.${REDACTED}`],
  // An Authorization header value, in any form a library prints it.
  [/\b(Bearer|Basic)(\s+|%20)[^\s"',;}]+/gi, `$1 ${REDACTED}`],
  // The presigned URL's query: signature, credential scope (the access key id) and session token.
  [/(X-Amz-(?:Signature|Credential|Security-Token))(=|":\s*"|:\s*)[^&\s"',;}]+/gi, `$1$2${REDACTED}`],
  // Named credential fields in printed objects or messages.
  [/\b(secretAccessKey|sessionToken|aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/g, `$1$2${REDACTED}`],
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
