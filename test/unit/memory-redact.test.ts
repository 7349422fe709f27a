import { strict as assert } from 'assert';
import { redact } from '../../src/engine/memory/redact';

// Real-looking but fake secrets: the shapes the providers publish, random-looking bodies.
const SECRETS: { name: string; text: string; secret: string }[] = [
  { name: 'OpenAI legacy key', text: 'export OPENAI_API_KEY=sk-4fJk2LmN9pQrStUvWxYz0123456789AbCdEfGhIjKl', secret: 'sk-4fJk2LmN9pQrStUvWxYz0123456789AbCdEfGhIjKl' },
  { name: 'OpenAI project key', text: 'client = OpenAI(api_key="sk-proj-Zx8_Yw7-Vu6Ts5Rq4Po3Nm2Lk1Jh0GfEdCbA9z8y7x6w5v4")', secret: 'sk-proj-Zx8_Yw7-Vu6Ts5Rq4Po3Nm2Lk1Jh0GfEdCbA9z8y7x6w5v4' },
  { name: 'Anthropic key', text: 'key: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEf', secret: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEf' },
  { name: 'GitHub classic token', text: 'git clone https://ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789@github.com/o/r', secret: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789' },
  { name: 'GitHub OAuth token', text: 'token gho_16C7e42F292c6912E7710c838347Ae178B4a', secret: 'gho_16C7e42F292c6912E7710c838347Ae178B4a' },
  { name: 'GitHub fine-grained token', text: 'GH_TOKEN=github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV', secret: 'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV' },
  { name: 'AWS access key id', text: 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', secret: 'AKIAIOSFODNN7EXAMPLE' },
  { name: 'AWS secret access key', text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { name: 'Slack bot token', text: 'SLACK=xoxb-2837465019-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', secret: 'xoxb-2837465019-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' },
  { name: 'Slack webhook', text: 'curl -X POST https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/aBcDeFgHiJkLmNoPqRsTuVwX', secret: 'aBcDeFgHiJkLmNoPqRsTuVwX' },
  {
    name: 'JWT',
    text: 'Cookie: session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    secret: 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  { name: 'Bearer header', text: 'curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc" https://api.example.com', secret: '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc' },
  { name: 'Google API key', text: 'const maps = load("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")', secret: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY' },
  { name: 'Stripe live key', text: 'stripe.api_key = sk_live_51HqLyjWDarjtT1zdp7dcXwYvL2wQ8pR3', secret: 'sk_live_51HqLyjWDarjtT1zdp7dcXwYvL2wQ8pR3' },
  { name: 'npm token', text: '//registry.npmjs.org/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', secret: 'npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789' },
  { name: 'password in a URL', text: 'DATABASE_URL=postgres://app:Tr0ub4dor&3xyz@db.internal:5432/app', secret: 'Tr0ub4dor&3xyz' },
  { name: 'JSON password', text: '{"user": "admin", "password": "correct horse"}'.replace('correct horse', 'c0rrect-h0rse-battery'), secret: 'c0rrect-h0rse-battery' },
  { name: 'YAML secret', text: 'client_secret: 8a7b6c5d4e3f2a1b0c9d8e7f', secret: '8a7b6c5d4e3f2a1b0c9d8e7f' },
  { name: '.env password', text: 'DB_PASSWORD=S3cr3tP@ssw0rd!', secret: 'S3cr3tP@ssw0rd!' },
  { name: 'quoted token assignment', text: "const apiToken = 'a1b2c3d4e5f6a7b8c9d0';", secret: 'a1b2c3d4e5f6a7b8c9d0' },
];

const PRIVATE_KEY = `before
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi1Z2Z3BXzF8Y0QY6Z2r3nQv5k0
Vt1mYwIDAQABAoIBAQCzXp0nYhJ3mQ0Z2m9l8k7j6h5g4f3e2d1c0b9a8Z7Y6X5W
-----END RSA PRIVATE KEY-----
after`;

describe('memory redaction', () => {
  for (const c of SECRETS) {
    it(`redacts ${c.name}`, () => {
      const out = redact(c.text, {});
      assert.ok(!out.includes(c.secret), `${c.name} leaked: ${out}`);
      assert.match(out, /\[REDACTED/);
    });
  }

  it('redacts private key blocks, keeping the text around them', () => {
    const out = redact(PRIVATE_KEY, {});
    assert.doesNotMatch(out, /MIIEpAIBAAKCAQEA|Vt1mYw/);
    assert.match(out, /^before\n\[REDACTED PRIVATE KEY\]\nafter$/);
  });

  it('redacts the values of secret-looking environment variables wherever they appear', () => {
    const env = {
      MY_SERVICE_TOKEN: 'plainwordsvalue',
      DEPLOY_PASSWORD: 'hunter2hunter2',
      INTERNAL_API_KEY: 'k-8812-xyz-0091',
      HOME: '/home/someone',
      PWD: '/work/project',
      SHORT_TOKEN: 'abc',
    };
    const text = 'login with plainwordsvalue then hunter2hunter2; key k-8812-xyz-0091 in /home/someone at /work/project, abc';
    const out = redact(text, env);
    for (const s of ['plainwordsvalue', 'hunter2hunter2', 'k-8812-xyz-0091']) assert.ok(!out.includes(s), out);
    assert.ok(out.includes('/home/someone') && out.includes('/work/project') && out.includes(', abc'), out);
  });

  it('leaves ordinary code and prose alone', () => {
    const code = [
      'function getToken(req) {',
      '  const token = req.headers.authorization?.split(" ")[1];',
      '  const password = await hashPassword(input.password);',
      '  if (!token) throw new Error("invalid token");',
      '  return { tokenType: "Bearer", expiresIn: 3600, max_tokens: 4096 };',
      '}',
      'const apiKey = process.env.OPENAI_API_KEY;',
      'const secret = config.secret;',
      'password: "",',
      'token: "${TOKEN}",',
      'def test_login(self):',
      '    self.client.login(username="user", password=self.password)',
      'The cache key is built from the user id and the page number.',
      'git commit -m "Fix off-by-one in pagination (closes #42)"',
      'const sk = skipList.next(); // sk-like names are fine',
      'export const TOKEN_HEADER = "Authorization";',
      'ssh-keygen -t ed25519 -C "me@example.com"',
      'https://github.com/owner/repo/blob/main/src/index.ts#L10',
      'SELECT id, title FROM items WHERE archived = 0 ORDER BY created_at DESC;',
    ].join('\n');
    assert.equal(redact(code, {}), code);
  });

  it('is idempotent', () => {
    const text = SECRETS.map((s) => s.text).join('\n') + '\n' + PRIVATE_KEY;
    const once = redact(text, {});
    assert.equal(redact(once, {}), once);
  });
});
