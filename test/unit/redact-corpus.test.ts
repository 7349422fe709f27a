/**
 * Redaction on a corpus: at least 30 kinds of secrets in the places they turn up (env files, config, code,
 * shell history, connection strings, prose), and ordinary code, diffs and logs full of long random-looking
 * strings (git SHAs, UUIDs, base64 fixtures, hashes, integrity fields) that must come through unchanged.
 * All secrets are fake, shaped like the real ones.
 */
import { strict as assert } from 'assert';
import { redact } from '../../src/engine/memory/redact';

const SECRET_KINDS: { kind: string; text: string; secret: string }[] = [
  { kind: 'AWS secret access key in an env file', text: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { kind: 'AWS secret access key in credentials ini', text: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' },
  { kind: 'AWS secret access key in YAML', text: 'aws:\n  secretAccessKey: Kq8+Zr4pLmN2vWx9Yt7Bc3Df5Gh1Jk6Ln0Mp2Qr4', secret: 'Kq8+Zr4pLmN2vWx9Yt7Bc3Df5Gh1Jk6Ln0Mp2Qr4' },
  { kind: 'AWS secret access key in prose', text: 'Use the AWS key AKIAI44QH8DHBEXAMPLE with secret Tz9xW3vB7nM2kL5pQ8rS1uY4aD6fG0hJ3cE5iO7q to deploy.', secret: 'Tz9xW3vB7nM2kL5pQ8rS1uY4aD6fG0hJ3cE5iO7q' },
  { kind: 'AWS access key id', text: 'key id AKIAI44QH8DHBEXAMPLE', secret: 'AKIAI44QH8DHBEXAMPLE' },
  { kind: 'prose password', text: 'To reproduce, log in as admin; the password is hunter2hunter2 on staging.', secret: 'hunter2hunter2' },
  { kind: 'prose password with colon-less phrasing', text: "my password was Summer2024! and it stopped working", secret: 'Summer2024!' },
  { kind: 'prose passphrase', text: 'The GPG passphrase is blue-Otter-42 (do not share).', secret: 'blue-Otter-42' },
  { kind: 'prose api key', text: 'our API key is 3f9a7c2e1b8d4f6a0c5e9b2d7a1f4c8e, rotate it monthly', secret: '3f9a7c2e1b8d4f6a0c5e9b2d7a1f4c8e' },
  { kind: 'postgres URL credentials', text: 'DATABASE_URL=postgresql://app:pg_Pa55word@db.internal:5432/app', secret: 'pg_Pa55word' },
  { kind: 'MongoDB SRV credentials', text: 'mongoose.connect("mongodb+srv://admin:M0ng0S3cret@cluster0.abcde.mongodb.net/test")', secret: 'M0ng0S3cret' },
  { kind: 'Redis URL with empty user', text: 'REDIS_URL=redis://:r3d1sP4ss@cache:6379/0', secret: 'r3d1sP4ss' },
  { kind: 'MySQL URL credentials', text: 'mysql://root:toor123@localhost/shop', secret: 'toor123' },
  { kind: 'ADO.NET connection string', text: 'Server=tcp:sql.example.net,1433;Database=shop;User ID=sa;Password=Xy7!kq;Encrypt=True;', secret: 'Xy7!kq' },
  { kind: 'ODBC connection string with Pwd', text: 'Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=q1w2e3;', secret: 'q1w2e3' },
  { kind: 'JDBC password parameter', text: 'jdbc:mysql://db:3306/shop?user=app&password=JdbcS3cret9', secret: 'JdbcS3cret9' },
  { kind: 'Azure storage account key', text: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJD==;EndpointSuffix=core.windows.net', secret: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJD==' },
  { kind: 'Azure service bus shared access key', text: 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=AbCdEf0123456789AbCdEf0123456789AbCdEf01234=', secret: 'AbCdEf0123456789AbCdEf0123456789AbCdEf01234=' },
  { kind: 'OpenAI key', text: 'OPENAI_API_KEY=sk-4fJk2LmN9pQrStUvWxYz0123456789AbCdEfGhIjKl', secret: 'sk-4fJk2LmN9pQrStUvWxYz0123456789AbCdEfGhIjKl' },
  { kind: 'Anthropic key', text: 'x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEf', secret: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEf' },
  { kind: 'GitHub token', text: 'GITHUB_TOKEN: ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789', secret: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789' },
  { kind: 'GitLab token', text: 'curl --header "PRIVATE-TOKEN: glpat-Ab12Cd34Ef56Gh78Ij90" https://gitlab.example.com/api/v4/projects', secret: 'glpat-Ab12Cd34Ef56Gh78Ij90' },
  { kind: 'Slack bot token', text: 'app.token = "xoxb-2837465019-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"', secret: 'xoxb-2837465019-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' },
  { kind: 'Stripe restricted key', text: 'Stripe(rk_live_51HqLyjWDarjtT1zdp7dcXwYvL2wQ8pR3)', secret: 'rk_live_51HqLyjWDarjtT1zdp7dcXwYvL2wQ8pR3' },
  { kind: 'SendGrid key', text: "sgMail.setApiKey('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');", secret: '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' },
  { kind: 'Hugging Face token', text: 'huggingface-cli login --token hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', secret: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567' },
  { kind: 'npm token in .npmrc', text: '//registry.npmjs.org/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', secret: 'npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789' },
  { kind: 'PyPI token', text: 'password = pypi-AgEIcHlwaS5vcmcCJGE4YjQ3ZjNiLWJmYzUtNGE2Ny1hYjQ3LTJmNDg5ZmY2ZjY1MQ', secret: 'pypi-AgEIcHlwaS5vcmcCJGE4YjQ3ZjNiLWJmYzUtNGE2Ny1hYjQ3LTJmNDg5ZmY2ZjY1MQ' },
  { kind: 'Shopify access token', text: 'X-Shopify-Access-Token: shpat_0123456789abcdef0123456789abcdef', secret: 'shpat_0123456789abcdef0123456789abcdef' },
  { kind: 'DigitalOcean token', text: 'doctl auth init -t dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', secret: 'dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
  { kind: 'Google API key', text: 'key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', secret: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY' },
  { kind: 'JWT', text: 'Authorization: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', secret: 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
  { kind: 'Basic auth header', text: 'Authorization: Basic YWRtaW46c3VwZXJzZWNyZXRwYXNz', secret: 'YWRtaW46c3VwZXJzZWNyZXRwYXNz' },
  { kind: 'OpenSSH private key', text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----', secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ' },
  { kind: 'EC private key', text: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n-----END EC PRIVATE KEY-----', secret: 'MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY' },
  { kind: 'docker login password flag', text: 'docker login -u deploy --password Dk3r!Hub2024 registry.example.com', secret: 'Dk3r!Hub2024' },
  { kind: 'client secret in JSON', text: '{"client_id": "web-app", "client_secret": "GOCSPX-1a2B3c4D5e6F7g8H9i0J"}', secret: 'GOCSPX-1a2B3c4D5e6F7g8H9i0J' },
];

const ORDINARY = [
  // git output and diffs
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8\nAuthor: Dev <dev@example.com>\nMerge: 1a2b3c4 5d6e7f8',
  'diff --git a/src/cart.js b/src/cart.js\nindex 3b18e512dba79e4c8300dd08aeb37f8e728b8dad..e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 100644\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1,3 +1,3 @@\n-  return a - b;\n+  return a + b;',
  'git log --oneline: 4b825dc642cb6eb9a060e54bf8d69288fbee4904 initial; see also da39a3ee5e6b4b0d3255bfef95601890afd80709',
  // UUIDs and hashes
  'request 550e8400-e29b-41d4-a716-446655440000 took 12 ms (trace f47ac10b-58cc-4372-a567-0e02b2c3d479)',
  'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nmd5: d41d8cd98f00b204e9800998ecf8427e',
  '"integrity": "sha512-Q2Ygq2X7Vh3wN0vG6VrLQ8aCcyZrC6JmX8nW1zQm7t0e1T3XQfJx9bSxkL4s8x0b3sC0l5eB0o6k1vT6pY9bFQ=="',
  '"resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "integrity": "sha1-Z5WRxWTDv/quhFTPCz3zcMPWkRw="',
  // base64 fixtures
  "const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';",
  "expect(encode('hello world, this is a test fixture!!')).toBe('aGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IGZpeHR1cmUhIQ==');",
  "const fixture = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz'; // 40 base64 chars",
  // code that mentions secrets without holding any
  'const token = await getToken(req);\nif (!token) throw new Error("invalid token");\nconst password = hashPassword(input.password);',
  'The password is incorrect. Please check the password field and the token expiry.',
  'Your password is required and must be at least 12 characters.',
  'the api key is missing: set OPENAI_API_KEY',
  'connectionString = `Server=${host};Database=${db};User Id=${user};Password=${password};`',
  'const url = `postgres://${user}:${pass}@${host}/${db}`;',
  'password: process.env.DB_PASSWORD,\nsecret: config.get("secret"),',
  'aws s3 cp build/ s3://my-bucket/app/ --recursive --region eu-west-1',
  'Using AWS profile "default" in region us-east-1; role arn:aws:iam::123456789012:role/Deploy',
  // logs
  '2026-11-30T23:12:01.123Z INFO  [worker-3] job 7f9c2ba4e88f827d616045507605853ed73b8093 done in 1532ms',
  'npm ERR! code ERESOLVE\nnpm ERR! While resolving: app@1.0.0',
  '  ✔ hashes the password with bcrypt (52ms)\n  1 passing',
  'docker pull node@sha256:3b2a1c0e5d9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b',
  'Secret scanning: no secrets found in 42 files.',
];

describe('redaction corpus', () => {
  it(`covers at least 30 kinds of secrets`, () => {
    assert.ok(new Set(SECRET_KINDS.map((s) => s.kind)).size >= 30);
  });

  for (const c of SECRET_KINDS) {
    it(`redacts ${c.kind}`, () => {
      const out = redact(c.text, {});
      assert.ok(!out.includes(c.secret), `${c.kind} leaked: ${out}`);
      assert.match(out, /\[REDACTED/);
      assert.equal(redact(out, {}), out, 'idempotent');
    });
  }

  ORDINARY.forEach((text, i) => {
    it(`leaves ordinary text #${i + 1} alone (${JSON.stringify(text.slice(0, 50))}…)`, () => {
      assert.equal(redact(text, {}), text);
    });
  });
});
