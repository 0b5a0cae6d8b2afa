/** What may not leave for the LLM: secret-shaped strings out, ordinary code and output untouched. */
import assert from 'node:assert/strict';
import { RedactingProvider } from '../../optimizer/llm/redactingProvider.js';
import { capForPrompt } from '../../optimizer/prompts.js';
import { redactSecrets, secretEnvironmentValues } from '../../optimizer/redact.js';
import { fakeReplies, startFakeLlmServer } from '../support/fakeLlmServer.js';
import { OpenAICompatibleProvider } from '../../optimizer/llm/openaiProvider.js';
import { FAST_DUPLICATES, SLOW_DUPLICATES } from '../support/pythonFixtures.js';

const OPENAI_KEY = 'sk-proj-Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8L';
const ANTHROPIC_KEY = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const GITHUB_TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GITHUB_PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
const AWS_ID = 'AKIAZ5EXAMPLE7QWERTY';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GOOGLE_KEY = 'AIzaSyA1234567890abcdefghijklmnopqrstuv';
const SLACK_TOKEN = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumgjq\nAbCdEf0123456789\n-----END RSA PRIVATE KEY-----';

describe('redactSecrets', () => {
  const cases: [what: string, text: string, secret: string, kind: string][] = [
    ['an OpenAI key', `key is ${OPENAI_KEY} here`, OPENAI_KEY, 'API key'],
    ['an Anthropic key', `x = "${ANTHROPIC_KEY}"`, ANTHROPIC_KEY, 'API key'],
    ['a GitHub token', `token ${GITHUB_TOKEN}`, GITHUB_TOKEN, 'GitHub token'],
    ['a fine-grained GitHub token', GITHUB_PAT, GITHUB_PAT, 'GitHub token'],
    ['an AWS access key id', `id=${AWS_ID}`, AWS_ID, 'AWS key'],
    ['an AWS secret key', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET, 'AWS key'],
    ['a Google API key', `?key=${GOOGLE_KEY}`, GOOGLE_KEY, 'API key'],
    ['a Slack token', SLACK_TOKEN, SLACK_TOKEN, 'Slack token'],
    ['a JWT', `cookie: ${JWT};`, JWT, 'JWT'],
    ['a bearer token', 'Authorization: Bearer abcDEF0123456789xyz.token', 'abcDEF0123456789xyz.token', 'bearer token'],
    ['a PEM private key', `before\n${PEM}\nafter`, 'MIIEowIBAAKCAQEA1c7', 'private key'],
    ['a PEM private key cut by a cap', `${PEM.slice(0, 60)}… (40 more characters)`, 'MIIEowIBAAK', 'private key'],
    ['an env file line', 'DEBUG=1\nDB_PASSWORD=correct-horse\n', 'correct-horse', 'env secret'],
    ['an exported env line', 'export STRIPE_SECRET=whsec_abc123', 'whsec_abc123', 'env secret'],
    ['a quoted env value', 'SESSION_KEY="s3cr3t-value"', 's3cr3t-value', 'env secret'],
    ['an env file in a Python repr', `'DEBUG=1\\nDB_PASSWORD=correct-horse\\nPORT=80'`, 'correct-horse', 'env secret'],
  ];
  for (const [what, text, secret, kind] of cases) {
    it(`replaces ${what} with a marker naming its kind`, () => {
      const { text: out, found } = redactSecrets(text);
      assert.ok(!out.includes(secret), out);
      assert.ok(out.includes(`[redacted: ${kind}]`), out);
      assert.ok(found.some((f) => f.kind === kind));
    });
  }

  it('keeps what is around a secret: the name of an env line, the other lines, the rest of a repr', () => {
    assert.equal(redactSecrets(`'DEBUG=1\\nDB_PASSWORD=hunter22\\nPORT=80'`).text, `'DEBUG=1\\nDB_PASSWORD=[redacted: env secret]\\nPORT=80'`);
    assert.equal(redactSecrets('Authorization: Bearer abcDEF0123456789xyz').text, 'Authorization: Bearer [redacted: bearer token]');
  });

  it('replaces values of secret environment variables verbatim, also where a cap cut them', () => {
    const known = ['plk-test-7f3a9c2e5b1d'];
    assert.equal(redactSecrets('SERVICE=plk-test-7f3a9c2e5b1d!', known).text, 'SERVICE=[redacted: environment value]!');
    assert.equal(redactSecrets("got 'plk-test-7f3a...", known).text, "got '[redacted: environment value]...");
    assert.equal(redactSecrets('id plk-test-7f3a9c', known).text, 'id [redacted: environment value]');
    assert.equal(redactSecrets('plk-test-7 is a prefix only, mid-text', known).text, 'plk-test-7 is a prefix only, mid-text');
    assert.equal(redactSecrets("'ID=plk-te...7f3a9c2e5b1d\\nX=1'", known).text, "'ID=plk-te...[redacted: environment value]\\nX=1'");
  });

  it("finds this process's secret environment values, not paths or short or harmless ones", () => {
    const values = secretEnvironmentValues({
      PERFLOOP_API_KEY: 'plk-live-0123456789',
      DATABASE_URL: 'postgres://u:p@db/x',
      MY_SERVICE_TOKEN: 'tok-abcdefgh',
      SSH_AUTH_SOCK: '/tmp/ssh-XXXX/agent.1',
      PASSWORD: 'short',
      HOME: '/home/someone',
      LANG: 'en_US.UTF-8',
    });
    assert.deepEqual(new Set(values), new Set(['plk-live-0123456789', 'postgres://u:p@db/x', 'tok-abcdefgh']));
  });

  it('leaves ordinary code and output alone', () => {
    const code = [
      SLOW_DUPLICATES,
      FAST_DUPLICATES,
      'return sorted(xs, key=len)',
      'MAX_TOKENS = 4096',
      'const KEY_COUNT = 3; task-scheduler-queue-name-long',
      "TypeError: unhashable type: 'list'\n  File \"/tmp/perfloop-1/x.py\", line 3, in f",
      'def token_split(text):\n    tokens = text.split()\n    return {"token": tokens[0]}',
      'sk-learn skeleton AKIA short eyJ',
    ].join('\n');
    const { text, found } = redactSecrets(code);
    assert.equal(text, code);
    assert.deepEqual(found, []);
  });
});

describe('capForPrompt', () => {
  it('cuts between words so a key is never half sent', () => {
    const text = `error: ${OPENAI_KEY} rejected`;
    const capped = capForPrompt(text, 20);
    assert.equal(capped, `error: … (${text.length - 7} more characters)`);
  });

  it('keeps short text as it is and bounds a text of one long word', () => {
    assert.equal(capForPrompt('short', 10), 'short');
    assert.match(capForPrompt('x'.repeat(2000), 100), /^x{100}… \(1900 more characters\)$/);
  });
});

describe('RedactingProvider (the one door prompts leave by)', () => {
  it('sends every message redacted and counts each secret once, however often it is sent', async () => {
    const llm = await startFakeLlmServer([fakeReplies.text('a'), fakeReplies.text('b')]);
    try {
      const seen: string[][] = [];
      const provider = new RedactingProvider(new OpenAICompatibleProvider({ baseURL: llm.baseURL, model: 'fake-model' }), (kinds) => seen.push(kinds), ['plk-test-7f3a9c2e5b1d']);
      const messages = [
        { role: 'system' as const, content: 'system' },
        { role: 'user' as const, content: `Failure: got '${OPENAI_KEY}\\nDB_PASSWORD=hunter22\\nID=plk-test-7f3a9c2e5b1d'` },
      ];
      await provider.complete({ messages });
      await provider.complete({ messages });
      const sent = JSON.stringify(llm.chatRequests.map((r) => r.body?.messages));
      for (const secret of [OPENAI_KEY, 'hunter22', 'plk-test-7f3a9c2e5b1d']) assert.ok(!sent.includes(secret), `${secret} was sent`);
      assert.deepEqual(provider.summary(), { count: 3, kinds: { 'environment value': 1, 'API key': 1, 'env secret': 1 } });
      assert.equal(seen.length, 1, 'told once, when the secrets were first met');
    } finally {
      await llm.close();
    }
  });
});
