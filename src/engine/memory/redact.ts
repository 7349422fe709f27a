/**
 * Redaction before text is stored (memory items, their task text, run records) or sent for distillation:
 * keys and tokens by their published shapes, private-key blocks, credentials in URLs and connection
 * strings, `key=value` secrets, secrets named in prose ("the password is …"), AWS secret keys next to the
 * word that names them, and the values of secret-looking environment variables. Ordinary code must come
 * through unchanged, so the generic rules only fire on literal values, never on expressions such as
 * `token = getToken()` or placeholders such as `${password}`.
 */

const MARK = '[REDACTED]';

interface Rule {
  name: string;
  pattern: RegExp;
   
  replace: string | ((match: string, ...rest: any[]) => string);
}

const RULES: Rule[] = [
  {
    name: 'private key block',
    pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g,
    replace: '[REDACTED PRIVATE KEY]',
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: MARK },
  { name: 'openai/anthropic key', pattern: /\bsk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}/g, replace: MARK },
  { name: 'github token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g, replace: MARK },
  { name: 'aws access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, replace: MARK },
  { name: 'slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: MARK },
  { name: 'slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g, replace: `https://hooks.slack.com/services/${MARK}` },
  { name: 'google api key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: MARK },
  { name: 'stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: MARK },
  { name: 'npm/huggingface/gitlab token', pattern: /\b(?:npm_[A-Za-z0-9]{36}|hf_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_-]{20,})/g, replace: MARK },
  {
    name: 'sendgrid/digitalocean/shopify/pypi token',
    pattern: /\b(?:SG\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{40,}|do[por]_v1_[a-f0-9]{64}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,})/g,
    replace: MARK,
  },
  {
    name: 'azure account key',
    pattern: /\b((?:Account|SharedAccess)Key\s*=\s*)([^;"'\s]{16,})/g,
    replace: (_m, prefix: string) => `${prefix}${MARK}`,
  },
  {
    name: 'authorization header',
    pattern: /\b(Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]{16,}=*)/g,
    replace: (_m, scheme: string) => `${scheme} ${MARK}`,
  },
  {
    name: 'url credentials',
    // the user may be empty (redis://:password@host)
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi,
    replace: (m, prefix: string, value: string) => (isPlaceholder(value) ? m : `${prefix}${MARK}@`),
  },
  {
    name: 'connection string password',
    // Server=…;User ID=…;Password=…; and ODBC's Pwd=…; (only in a string that has the other keys)
    pattern: /^(?=[^\n]*\b(?:server|host|data source|database|initial catalog|user id|uid|driver)\s*=)[^\n]*$/gim,
    replace: (line: string) =>
      line.replace(/((?:^|[;"'\s])(?:password|pwd)\s*=\s*)([^;"'\n]+)/gi, (m, prefix: string, value: string) =>
        isPlaceholder(value) || value.startsWith(MARK) ? m : `${prefix}${MARK}`,
      ),
  },
  {
    name: 'aws secret access key near its name',
    // 40 characters of base64 alphabet, mixed case with a digit, on a line that speaks of AWS or a secret:
    // a git SHA (hex) or an unrelated base64 fixture is not taken
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    replace: (m: string, offset: number, whole: string) => {
      if (!/[a-z]/.test(m) || !/[A-Z]/.test(m) || !/\d/.test(m)) return m;
      const start = whole.lastIndexOf('\n', offset) + 1;
      const end = whole.indexOf('\n', offset);
      const line = whole.slice(start, end === -1 ? undefined : end);
      return /aws|secret/i.test(line) ? MARK : m;
    },
  },
  {
    name: 'secret named in prose',
    // "the password is hunter2hunter2", "--password Dk3r!Hub2024", "API key is 3f9a…": only a value with a
    // digit or a symbol, so "the password is incorrect" and "the token expiry" stay
    pattern: /\b(password|passwd|passphrase|passcode|api[ _-]?key|secret(?: key)?|token)((?:\s+(?:is|was|would be|set to))?\s+[“"']?)([^\s"'”(){}[\]<>\x60$,;]{6,})(?=$|[\s"'”,;.)!?:])/gim,
    replace: (m, name: string, between: string, raw: string) => {
      const value = raw.replace(/[.:)]+$/, '');
      if (value.length < 6 || !/[^A-Za-z]/.test(value) || value.startsWith(MARK)) return m;
      return `${name}${between}${MARK}${raw.slice(value.length)}`;
    },
  },
];

/** `${password}`, `<password>`, `%PASSWORD%`, `{{ secret }}`: a reference to a secret, not one. */
function isPlaceholder(value: string): boolean {
  return /^(?:\$|<|\{|%|\*+$|x+$)/i.test(value.trim());
}

/** Key names whose values are secrets: the name ends in one of these words. */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|credentials?)`;

// "key": "value" / key: 'value' / key = "value" / KEY="value"
const QUOTED_ASSIGNMENT = new RegExp(String.raw`(["']?\b${SECRET_KEY}["']?\s*(?::=|[:=])\s*)(["'\x60])([^"'\x60\n]{4,}?)\2`, 'gi');
// KEY=value in env files, URLs' query strings, command lines
const BARE_ASSIGNMENT = new RegExp(String.raw`(\b${SECRET_KEY}\s*[:=]\s*)([^\s"'\x60,;(){}\[\]<>]{8,})(?=$|[\s"'\x60,;)}\]&])`, 'gim');

function looksLikeLiteralSecret(value: string): boolean {
  if (/\s/.test(value)) return false; // prose ("invalid token") rather than a secret
  if (/^(?:\$|<|\{\{|%|process\.env|os\.environ|env\.|\*+$|x+$|\.\.\.)/i.test(value)) return false; // placeholders, references
  if (/^\d{1,15}$/.test(value)) return false; // counts and limits (max_tokens: 4096)
  if (/^(?:true|false|null|undefined|none|string|number|boolean|required|optional)$/i.test(value)) return false;
  return true;
}

function looksLikeBareSecret(value: string): boolean {
  if (!looksLikeLiteralSecret(value)) return false;
  // an identifier or member expression (config.token, self.password) is code, not a value
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(value) && !/\d/.test(value)) return false;
  return true;
}

/** Environment variable names that hold secrets (PWD is the working directory, not a password). */
const SECRET_ENV_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PASS|CREDENTIALS?|AUTH|PRIVATE|SESSION|COOKIE|DSN|PAT)(?:_|$)|(?:KEY|TOKEN|SECRET|PASSWORD)$/i;
const NOT_SECRET_ENV = new Set(['PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'XAUTHORITY', 'KEYTIMEOUT']);

function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 8 || NOT_SECRET_ENV.has(name.toUpperCase())) continue;
    if (SECRET_ENV_NAME.test(name)) values.push(value);
  }
  // longest first, so a value that contains another is replaced whole
  return values.sort((a, b) => b.length - a.length);
}

export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!text) return text;
  let out = text;
  for (const value of secretEnvValues(env)) {
    if (out.includes(value)) out = out.split(value).join(MARK);
  }
  for (const rule of RULES) {
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  out = out.replace(QUOTED_ASSIGNMENT, (m, prefix: string, quote: string, value: string) =>
    looksLikeLiteralSecret(value) && value !== MARK ? `${prefix}${quote}${MARK}${quote}` : m,
  );
  out = out.replace(BARE_ASSIGNMENT, (m, prefix: string, value: string) =>
    looksLikeBareSecret(value) && !value.startsWith(MARK) ? `${prefix}${MARK}` : m,
  );
  return out;
}
