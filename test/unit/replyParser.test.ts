import assert from 'node:assert/strict';
import { parseCandidates, parseWorkloadGenerator, type ParseCandidatesOptions } from '../../optimizer/replyParser.js';

const options: ParseCandidatesOptions = { functionName: 'find_dupes', language: 'python', maxCandidates: 3 };

const setVersion = 'def find_dupes(items):\n    seen = set()\n    return [x for x in items if x in seen or seen.add(x)]\n';
const counterVersion = 'from collections import Counter\n\ndef find_dupes(items):\n    counts = Counter(items)\n    return [x for x in counts if counts[x] > 1]\n';
const sortVersion = 'def find_dupes(items):\n    items = sorted(items)\n    return [a for a, b in zip(items, items[1:]) if a == b]\n';

function fenced(code: string, tag = 'python'): string {
  return `\`\`\`${tag}\n${code}\`\`\`\n`;
}

describe('parseCandidates', () => {
  it('reads well-formed candidates with their rationales', () => {
    const reply = [
      'Here are three options.',
      '',
      '### Candidate 1: Track seen items in a set',
      fenced(setVersion),
      '### Candidate 2: Count with collections.Counter',
      fenced(counterVersion),
      '### Candidate 3: Sort, then compare neighbours',
      fenced(sortVersion),
    ].join('\n');
    const { candidates, failures } = parseCandidates(reply, options);
    assert.deepEqual(failures, []);
    assert.deepEqual(candidates, [
      { index: 1, code: setVersion, rationale: 'Track seen items in a set' },
      { index: 2, code: counterVersion, rationale: 'Count with collections.Counter' },
      { index: 3, code: sortVersion, rationale: 'Sort, then compare neighbours' },
    ]);
  });

  it('accepts CRLF line endings and returns LF code', () => {
    const reply = `### Candidate 1: set\r\n${fenced(setVersion).replace(/\n/g, '\r\n')}`;
    const { candidates } = parseCandidates(reply, options);
    assert.equal(candidates[0]?.code, setVersion);
  });

  for (const tag of ['py', 'python3', 'Python', '', '{.python}', 'python:dupes.py']) {
    it(`accepts a fence tagged "${tag}"`, () => {
      const { candidates } = parseCandidates(`### Candidate 1: set\n${fenced(setVersion, tag)}`, options);
      assert.equal(candidates[0]?.code, setVersion);
    });
  }

  it('accepts ~~~ fences and fences indented inside list items', () => {
    const indented = setVersion
      .split('\n')
      .map((line) => (line ? `   ${line}` : line))
      .join('\n');
    const reply = `### Candidate 1: tilde\n~~~python\n${sortVersion}~~~\n\n1. Candidate 2: in a list\n   \`\`\`python\n${indented}   \`\`\`\n`;
    const { candidates, failures } = parseCandidates(reply, options);
    assert.deepEqual(failures, []);
    assert.deepEqual(candidates.map((c) => c.code), [sortVersion, setVersion]);
  });

  it('accepts bold and plain "Candidate N:" headings and a rationale on the line after the heading', () => {
    const reply = `**Candidate 1: set**\n${fenced(setVersion)}\nCandidate 2: Counter\n${fenced(counterVersion)}\n### Candidate 3\nSorting groups equal items.\n${fenced(sortVersion)}`;
    const { candidates } = parseCandidates(reply, options);
    assert.deepEqual(candidates.map((c) => c.rationale), ['set', 'Counter', 'Sorting groups equal items']);
  });

  it('keeps the last block when the fence of the final candidate is never closed (truncated reply)', () => {
    const reply = `### Candidate 1: set\n${fenced(setVersion)}### Candidate 2: sort\n\`\`\`python\n${sortVersion}`;
    const { candidates } = parseCandidates(reply, options);
    assert.equal(candidates.length, 2);
    assert.equal(candidates[1]?.code, sortVersion);
  });

  it('ends an unterminated fence at the next candidate heading', () => {
    const reply = `### Candidate 1: set\n\`\`\`python\n${setVersion}\n### Candidate 2: sort\n${fenced(sortVersion)}`;
    const { candidates } = parseCandidates(reply, options);
    assert.deepEqual(candidates.map((c) => c.code), [setVersion, sortVersion]);
  });

  it('merges a helper block and the function block under one heading, in order', () => {
    const helper = 'def _pairs(items):\n    return zip(items, items[1:])\n';
    const reply = `### Candidate 1: sort with a helper\nFirst a helper:\n${fenced(helper)}\nThen the function:\n${fenced(sortVersion)}`;
    const { candidates } = parseCandidates(reply, options);
    assert.equal(candidates[0]?.code, `${helper}\n${sortVersion}`);
  });

  it('under one heading, keeps the last definition of the function and drops usage examples', () => {
    const original = 'def find_dupes(items):\n    return [x for x in items if items.count(x) > 1]\n';
    const reply = `### Candidate 1: set\nBefore:\n${fenced(original)}\nAfter:\n${fenced(setVersion)}\nExample:\n${fenced('print(find_dupes([1, 1, 2]))\n')}`;
    const { candidates } = parseCandidates(reply, options);
    assert.equal(candidates[0]?.code, setVersion);
  });

  it('does not merge blocks that follow a non-candidate heading such as "## Benchmark"', () => {
    const reply = `### Candidate 1: set\n${fenced(setVersion)}\n## Benchmark\n${fenced('import timeit\nN = 5\n')}`;
    assert.equal(parseCandidates(reply, options).candidates[0]?.code, setVersion);
  });

  it('finds candidates without headings, one per block defining the function, with nearby prose as rationale', () => {
    const reply = `Using a set avoids the quadratic scan:\n${fenced(setVersion)}\nAlternatively, count occurrences:\n${fenced(counterVersion)}`;
    const { candidates, failures } = parseCandidates(reply, options);
    assert.deepEqual(failures, []);
    assert.deepEqual(
      candidates.map((c) => [c.index, c.rationale]),
      [
        [1, 'Using a set avoids the quadratic scan'],
        [2, 'Alternatively, count occurrences'],
      ],
    );
  });

  it('joins helper blocks to the next function block when there are no headings', () => {
    const reply = `${fenced('import bisect\n')}\n${fenced(sortVersion)}`;
    assert.equal(parseCandidates(reply, options).candidates[0]?.code, `import bisect\n\n${sortVersion}`);
  });

  it('ignores a restatement of the original before the first heading', () => {
    const reply = `The original:\n${fenced('def find_dupes(items):\n    return []\n')}\n### Candidate 1: set\n${fenced(setVersion)}`;
    const { candidates } = parseCandidates(reply, options);
    assert.deepEqual(candidates.map((c) => c.code), [setVersion]);
  });

  it('reads a reply with code but no fences at all', () => {
    const reply = `Sure!\n\n${setVersion}\nThis runs in linear time.`;
    const { candidates } = parseCandidates(reply, options);
    assert.equal(candidates[0]?.code, setVersion);
  });

  it('reads JSON-wrapped candidates, raw or in a json fence', () => {
    const json = JSON.stringify({
      candidates: [
        { rationale: 'set', code: setVersion },
        { explanation: 'counter', code: `\`\`\`python\n${counterVersion}\`\`\`` },
      ],
    });
    for (const reply of [json, `Here you go:\n${fenced(json, 'json')}`]) {
      const { candidates, failures } = parseCandidates(reply, options);
      assert.deepEqual(failures, []);
      assert.deepEqual(
        candidates.map((c) => [c.rationale, c.code]),
        [
          ['set', setVersion],
          ['counter', counterVersion],
        ],
      );
    }
  });

  it('reports a reply without code as one failure about the whole reply', () => {
    const { candidates, failures } = parseCandidates('I cannot make this faster; it is already optimal.', options);
    assert.deepEqual(candidates, []);
    assert.deepEqual(failures, [{ index: 0, reason: 'no code block found in the reply' }]);
  });

  it('reports a heading without code', () => {
    const reply = `### Candidate 1: set\n${fenced(setVersion)}### Candidate 2: I would use numpy but it is not allowed.\n`;
    const { candidates, failures } = parseCandidates(reply, options);
    assert.equal(candidates.length, 1);
    assert.deepEqual(failures, [{ index: 2, reason: 'candidate 2 has no code block' }]);
  });

  it('names the language of a code block written in another language than the target’s', () => {
    const js = 'function find_dupes(items) {\n  return items.filter((x, i) => items.indexOf(x) !== i);\n}';
    const alone = parseCandidates(`Here you go:\n${fenced(js, 'javascript')}`, options);
    assert.deepEqual(alone.candidates, []);
    assert.deepEqual(alone.failures, [{ index: 0, reason: "the reply's code block is JavaScript, not Python" }]);
    const headed = parseCandidates(`### Candidate 1: set\n${fenced(setVersion)}### Candidate 2: filter\n${fenced(js, 'js')}`, options);
    assert.equal(headed.candidates.length, 1);
    assert.deepEqual(headed.failures, [{ index: 2, reason: "candidate 2's code block is JavaScript, not Python" }]);
    const cpp = parseCandidates(fenced('int find_dupes(int *a) { return 0; }', 'cpp'), { ...options, functionName: 'total', language: 'javascript' });
    assert.deepEqual(cpp.failures, [{ index: 0, reason: "the reply's code block is C++, not JavaScript" }]);
  });

  it('rejects a candidate that defines another function, saying which', () => {
    const renamed = setVersion.replace('find_dupes', 'find_duplicates');
    const { candidates, failures } = parseCandidates(`### Candidate 1: a\n${fenced(setVersion)}### Candidate 2: b\n${fenced(renamed)}`, options);
    assert.equal(candidates.length, 1);
    assert.deepEqual(failures, [{ index: 2, reason: 'candidate 2 does not define `find_dupes` (it defines `find_duplicates`)', code: renamed }]);
  });

  it('requires the definition at column 0, but accepts async def', () => {
    const nested = 'class Finder:\n    def find_dupes(self, items):\n        return []\n';
    const asyncVersion = 'async def find_dupes(items):\n    return []\n';
    const { candidates, failures } = parseCandidates(`### Candidate 1: a\n${fenced(nested)}### Candidate 2: b\n${fenced(asyncVersion)}`, options);
    assert.deepEqual(candidates.map((c) => c.index), [2]);
    assert.match(failures[0]?.reason ?? '', /does not define `find_dupes` \(it defines no top-level function\)/);
  });

  it('accepts an indented definition for a method target such as "Finder.find_dupes"', () => {
    const nested = 'class Finder:\n    def find_dupes(self, items):\n        return []\n';
    const { candidates } = parseCandidates(`### Candidate 1: a\n${fenced(nested)}`, { ...options, functionName: 'Finder.find_dupes' });
    assert.equal(candidates.length, 1);
  });

  it('for a method target, takes the class holding the method, with a helper block, and says when the method is missing', () => {
    const method = { className: 'Finder', name: 'find_dupes' };
    const helper = 'def _seen(items):\n    return set()\n';
    const inClass = 'class Finder:\n    def find_dupes(self, items):\n        return sorted(_seen(items))\n';
    const reply = `### Candidate 1: a helper\n${fenced(helper)}${fenced(inClass)}### Candidate 2: wrong\n${fenced('class Finder:\n    def other(self):\n        return 1\n')}`;
    const { candidates, failures } = parseCandidates(reply, { ...options, functionName: 'Finder.find_dupes', method });
    assert.deepEqual(candidates.map((c) => c.code), [`${helper}\n${inClass}`]);
    assert.match(failures[0]?.reason ?? '', /candidate 2 does not define the method `Finder\.find_dupes` \(in `Finder`, or on its own\)/);
  });

  it('rejects duplicates that differ only in whitespace, naming the first', () => {
    const spaced = setVersion.replace('seen = set()', 'seen  =  set()') + '\n\n';
    const { candidates, failures } = parseCandidates(`### Candidate 1: a\n${fenced(setVersion)}### Candidate 2: b\n${fenced(spaced)}`, options);
    assert.equal(candidates.length, 1);
    assert.equal(failures[0]?.reason, 'duplicate of candidate 1');
  });

  it('does not treat a change of indentation as whitespace (it changes Python semantics)', () => {
    const inside = 'def find_dupes(items):\n    for x in items:\n        y = x\n        return y\n';
    const outside = 'def find_dupes(items):\n    for x in items:\n        y = x\n    return y\n';
    const { candidates } = parseCandidates(`### Candidate 1: a\n${fenced(inside)}### Candidate 2: b\n${fenced(outside)}`, options);
    assert.equal(candidates.length, 2);
  });

  it('rejects a candidate identical to the original when the original is given', () => {
    const { candidates, failures } = parseCandidates(`### Candidate 1: no change\n${fenced(setVersion)}`, { ...options, originalSource: `  ${setVersion}`.trim() });
    assert.equal(candidates.length, 0);
    assert.match(failures[0]?.reason ?? '', /identical to the original/);
  });

  it('keeps at most maxCandidates valid candidates and reports the rest', () => {
    const reply = [setVersion, counterVersion, sortVersion].map((code, i) => `### Candidate ${i + 1}: c${i + 1}\n${fenced(code)}`).join('\n');
    const { candidates, failures } = parseCandidates(reply, { ...options, maxCandidates: 2 });
    assert.deepEqual(candidates.map((c) => c.index), [1, 2]);
    assert.deepEqual(failures.map((f) => f.reason), ['candidate 3 is beyond the 2 asked for']);
  });

  it('never throws, whatever the input (random and truncated replies)', () => {
    const wellFormed = `Intro\n### Candidate 1: set\n${fenced(setVersion)}### Candidate 2: counter\n~~~py\n${counterVersion}~~~\n{"code": "def find_dupes(x):\\n    return x"}\n`;
    const alphabet = ['`', '~', '#', '\n', '\r', ' ', '{', '}', '[', ']', '"', ':', 'def ', 'find_dupes', '(', ')', 'Candidate ', '1', '*', '\\', 'é', '\u0000'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const inputs: string[] = [];
    for (let cut = 0; cut <= wellFormed.length; cut++) inputs.push(wellFormed.slice(0, cut));
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 80);
      inputs.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    for (const input of inputs) {
      const result = parseCandidates(input, options);
      assert.ok(Array.isArray(result.candidates) && Array.isArray(result.failures));
      assert.ok(result.candidates.length <= options.maxCandidates);
      assert.ok(!result.failures.some((f) => f.reason.startsWith('could not parse')), `internal failure on ${JSON.stringify(input)}`);
      const generator = parseWorkloadGenerator(input);
      assert.ok('code' in generator || !generator.reason.startsWith('could not parse'));
    }
    for (const hostile of [undefined, null, 42] as unknown as string[]) {
      assert.doesNotThrow(() => parseCandidates(hostile, options));
      assert.doesNotThrow(() => parseWorkloadGenerator(hostile));
    }
  });
});

describe('parseWorkloadGenerator', () => {
  const generator = [
    'import random',
    '',
    'def correctness_inputs():',
    '    return [[[]], [[1]], [[1, 1]]]',
    '',
    'def sized_input(n: int):',
    '    rng = random.Random(n)',
    '    return [[rng.randint(-n, n) for _ in range(n)]]',
    '',
  ].join('\n');

  it('returns the python block that defines both functions', () => {
    assert.deepEqual(parseWorkloadGenerator(`Here is the generator:\n${fenced(generator)}\nIt is deterministic.`), { code: generator });
  });

  it('merges an imports block with a functions block', () => {
    const [imports, ...rest] = generator.split('\n\n');
    const result = parseWorkloadGenerator(`${fenced(`${imports}\n`)}\n${fenced(`${rest.join('\n\n')}`)}`);
    assert.ok('code' in result);
    assert.match(result.code, /^import random\n/);
    assert.match(result.code, /def sized_input/);
  });

  it('says which function is missing', () => {
    const partial = generator.slice(0, generator.indexOf('def sized_input'));
    assert.deepEqual(parseWorkloadGenerator(fenced(partial)), { reason: 'the generator does not define `sized_input`' });
  });

  it('reports a reply without code', () => {
    assert.deepEqual(parseWorkloadGenerator('Sorry, I cannot.'), { reason: 'no code block found in the reply' });
    assert.deepEqual(parseWorkloadGenerator('  '), { reason: 'the reply is empty' });
  });
});
