import assert from 'node:assert/strict';
import type { ChatMessage } from '../../optimizer/llm/provider.js';
import {
  buildOptimizePrompt,
  buildSystemMessage,
  buildWorkloadPrompt,
  type OptimizePromptContext,
  type RankedPattern,
  type WorkloadPromptContext,
} from '../../optimizer/prompts.js';

const functionSource = [
  'def find_dupes(items):',
  '    dupes = []',
  '    for i, x in enumerate(items):',
  '        if x in items[i + 1:] and x not in dupes:',
  '            dupes.append(x)',
  '    return dupes',
].join('\n');

function pattern(n: number): RankedPattern {
  return {
    id: `P${String(n).padStart(2, '0')}`,
    name: `Pattern number ${n}`,
    description: `Description of pattern ${n}.`,
    appliesWhen: `condition ${n} holds`,
    matchedSignals: [`signal ${n}`],
    before: `before_${n}()`,
    after: `after_${n}()`,
  };
}

function roundOneContext(overrides: Partial<OptimizePromptContext> = {}): OptimizePromptContext {
  return {
    language: 'python',
    functionName: 'find_dupes',
    functionSource,
    contextSource: 'import itertools\n\nLIMIT = 10\n',
    candidatesWanted: 3,
    round: 1,
    rounds: 3,
    profile: {
      totalSeconds: 1.5,
      lines: [
        { line: 10, text: 'def find_dupes(items):', hits: 0, timeShare: 0, memoryBytes: 0 },
        { line: 11, text: '    dupes = []', hits: 1, timeShare: 0.001, memoryBytes: 0 },
        { line: 12, text: '    for i, x in enumerate(items):', hits: 2001, timeShare: 0.02, memoryBytes: 0 },
        { line: 13, text: '        if x in items[i + 1:] and x not in dupes:', hits: 2000, timeShare: 0.93, memoryBytes: 3 * 1024 * 1024 },
        { line: 14, text: '            dupes.append(x)', hits: 120, timeShare: 0.04, memoryBytes: 2048 },
        { line: 15, text: '    return dupes', hits: 1, timeShare: 0.009, memoryBytes: 0 },
      ],
    },
    complexity: {
      label: 'O(n^2)',
      exponent: 1.987,
      exponentStdError: 0.031,
      points: [
        { size: 1000, seconds: 0.0012 },
        { size: 2000, seconds: 0.0049 },
        { size: 4000, seconds: 0.0195 },
      ],
    },
    baseline: { secondsPerCall: 0.0195, instructions: 45_120_000, counter: 'instructions:u', peakMemoryBytes: 12 * 1024 * 1024 },
    patterns: Array.from({ length: 10 }, (_, i) => pattern(i + 1)),
    previous: [],
    ...overrides,
  };
}

function userText(messages: ChatMessage[]): string {
  assert.equal(messages.length, 2);
  assert.equal(messages[0]?.role, 'system');
  assert.equal(messages[1]?.role, 'user');
  return messages[1]?.content ?? '';
}

describe('buildOptimizePrompt', () => {
  it('starts with the shared system message', () => {
    assert.deepEqual(buildOptimizePrompt(roundOneContext())[0], buildSystemMessage('python'));
    assert.match(buildSystemMessage('python').content, /Python/);
  });

  it('contains the function, its read-only context, the round and the number of candidates', () => {
    const text = userText(buildOptimizePrompt(roundOneContext()));
    assert.ok(text.includes(`\`\`\`python\n${functionSource}\n\`\`\``));
    assert.ok(text.includes('import itertools'));
    assert.match(text, /read-only/);
    assert.match(text, /Round 1 of 3/);
    assert.match(text, /exactly 3 candidates/);
    assert.match(text, /### Candidate N: <one-line rationale>/);
  });

  it('shows the line profile with the hot line marked, its time share, hits and memory', () => {
    const text = userText(buildOptimizePrompt(roundOneContext()));
    const hotRow = text.split('\n').find((line) => line.includes('if x in items[i + 1:]') && line.includes('%'));
    assert.ok(hotRow?.startsWith('>>'), `hot row: ${hotRow}`);
    assert.match(hotRow ?? '', /\b13\b.*2000.*93\.0%.*3 MiB/);
    const coldRows = text.split('\n').filter((line) => /^(>>| {2}) +1[1245] /.test(line));
    assert.equal(coldRows.length, 4);
    assert.ok(coldRows.every((row) => !row.startsWith('>>')), 'only the hot line is marked');
    assert.ok(!text.split('\n').some((line) => line.includes('def find_dupes(items):') && /%/.test(line)), 'lines never run are left out');
  });

  it('shows the complexity fit and the baseline measurements', () => {
    const text = userText(buildOptimizePrompt(roundOneContext()));
    assert.match(text, /O\(n\^2\)/);
    assert.match(text, /fitted k = 1\.99, standard error 0\.03/);
    assert.match(text, /n=4000: 19\.5 ms/);
    assert.match(text, /19\.5 ms per call/);
    assert.match(text, /45\.1 M instructions per call \(instructions:u\)/);
    assert.match(text, /peak memory 12 MiB/);
  });

  it('leaves out the profile and complexity sections when they are unavailable', () => {
    const text = userText(buildOptimizePrompt(roundOneContext({ profile: undefined, complexity: undefined, contextSource: '' })));
    assert.doesNotMatch(text, /Line profile/);
    assert.doesNotMatch(text, /complexity/i);
    assert.doesNotMatch(text, /Context/);
  });

  it('shows the top eight patterns in full and the rest by id and name', () => {
    const text = userText(buildOptimizePrompt(roundOneContext()));
    for (let n = 1; n <= 10; n++) assert.ok(text.includes(`Pattern number ${n}`), `pattern ${n} missing`);
    assert.ok(text.includes('before_8()') && text.includes('after_8()') && text.includes('signal 8'));
    assert.ok(!text.includes('before_9()') && !text.includes('Description of pattern 9'));
    assert.match(text, /Also possibly relevant: P09 Pattern number 9; P10 Pattern number 10/);
  });

  it('states the rules: same signature and behaviour, standard library, no caching, state, threads or I/O', () => {
    const text = userText(buildOptimizePrompt(roundOneContext()));
    assert.match(text, /Keep the name `find_dupes` and the exact signature/);
    assert.match(text, /exception types/);
    assert.match(text, /mutation of arguments/);
    assert.match(text, /printed output/);
    assert.match(text, /Use only the Python standard library/);
    assert.match(text, /No caching or memoization/);
    assert.match(text, /no threads or processes/);
  });

  describe('in later rounds', () => {
    const previous: OptimizePromptContext['previous'] = [
      {
        id: 'r1c2',
        round: 1,
        code: 'def find_dupes(items):\n    return sorted_version(items)\n',
        verdict: 'no-difference',
        speedup: { ratio: 1.01, low: 0.97, high: 1.05 },
      },
      {
        id: 'r1c1',
        round: 1,
        code: 'def find_dupes(items):\n    seen = set()  # best\n',
        verdict: 'faster',
        speedup: { ratio: 41.7, low: 39.2, high: 44.1 },
        instructionsRatio: 0.021,
        memoryRatio: 0.5,
      },
      {
        id: 'r1c3',
        round: 1,
        code: 'def find_dupes(items):\n    return list(set(items))  # broken\n',
        verdict: 'incorrect',
        failure: 'find_dupes([1, 2]) returned [1, 2] but the original returned []',
      },
    ];
    const text = userText(buildOptimizePrompt(roundOneContext({ round: 2, previous })));

    it('reports the measured speedups of round 1 with their intervals', () => {
      assert.match(text, /r1c1, round 1, faster, speedup 41\.7× \(95% CI 39\.2×–44\.1×\), instructions 0\.02× of the original, memory 0\.50× of the original/);
      assert.match(text, /r1c2, round 1, no-difference, speedup 1\.01×/);
      assert.ok(text.indexOf('- r1c1') < text.indexOf('- r1c2'), 'best first');
      assert.match(text, /Round 2 of 3/);
    });

    it('asks to build on the best candidate and shows its code', () => {
      assert.match(text, /Best so far: r1c1\. Build on it/);
      assert.ok(text.includes('seen = set()  # best'));
    });

    it('asks not to repeat what was not faster', () => {
      assert.match(text, /do not repeat these ideas/);
      assert.ok(text.includes('sorted_version(items)'));
    });

    it('asks to repair failed candidates, showing their code and error', () => {
      assert.match(text, /Repair/);
      assert.ok(text.includes('return list(set(items))  # broken'));
      assert.ok(text.includes('find_dupes([1, 2]) returned [1, 2] but the original returned []'));
    });

    it('summarises failures of older rounds in one line and shows only the latest ones in full', () => {
      const older = { id: 'r0c9', round: 0, code: 'def find_dupes(items):\n    return OLD\n', verdict: 'error', failure: 'NameError: OLD\nTraceback...' };
      const later = userText(buildOptimizePrompt(roundOneContext({ round: 2, previous: [...previous, older] })));
      assert.match(later, /- r0c9, round 0, error, NameError: OLD\n/);
      assert.ok(!later.includes('return OLD'));
    });

    it('says so when nothing was faster yet', () => {
      const none = userText(buildOptimizePrompt(roundOneContext({ round: 2, previous: previous.filter((p) => p.id !== 'r1c1') })));
      assert.match(none, /No earlier candidate was measurably faster/);
    });
  });

  it('names a method with its class, says the context leaves it out, and asks for the reply in its class', () => {
    const method = { className: 'Finder', name: 'find_dupes', isStatic: false };
    const text = userText(buildOptimizePrompt(roundOneContext({ functionName: 'Finder.find_dupes', method })));
    assert.match(text, /^Make the Python method `Finder\.find_dupes` \(of class `Finder`\) faster\./);
    assert.match(text, /## Method\n```python\ndef find_dupes/);
    assert.match(text, /## Context \(read-only: the class with the method left out/);
    assert.match(text, /1\. Keep the name `find_dupes`, its class and the exact signature/);
    assert.match(text, /6\. Same effect on the object: its state after the call is compared too\. Do not add fields/);
    assert.match(text, /7\. Reply with the class containing only `find_dupes` and any new helper methods it needs \(`class Finder:`/);
    assert.match(text, /<the complete method in its class/);
    const plain = userText(buildOptimizePrompt(roundOneContext()));
    assert.doesNotMatch(plain, /6\. Same effect on the object/);
  });

  it('is deterministic for equal input', () => {
    assert.deepEqual(buildOptimizePrompt(roundOneContext()), buildOptimizePrompt(structuredClone(roundOneContext())));
  });

  it('uses a longer fence when the code itself contains ```', () => {
    const source = 'def doc():\n    return "```"\n';
    const text = userText(buildOptimizePrompt(roundOneContext({ functionSource: source, functionName: 'doc' })));
    assert.ok(text.includes('````python\ndef doc():'));
  });
});

describe('buildWorkloadPrompt', () => {
  const context: WorkloadPromptContext = {
    language: 'python',
    functionName: 'find_dupes',
    functionSource,
    contextSource: 'import itertools\n',
    parameters: ['items'],
  };

  it('asks for both generator functions with the function and its parameters', () => {
    const text = userText(buildWorkloadPrompt(context));
    assert.ok(text.includes(functionSource));
    assert.ok(text.includes('import itertools'));
    assert.match(text, /parameters, in order: `items`/);
    assert.match(text, /def correctness_inputs\(\):/);
    assert.match(text, /at least 15 argument lists/);
    assert.match(text, /empty, single element/);
    assert.match(text, /def sized_input\(n: int\):/);
    assert.match(text, /random\.Random\(n\)/);
    assert.match(text, /standard library; no I\/O/);
    assert.match(text, /one ```python block/);
  });

  it('tells the generator of a method that inputs start with the receiver and the classes are predefined', () => {
    const method = { className: 'Finder', name: 'find_dupes', isStatic: false };
    const text = userText(buildWorkloadPrompt({ ...context, functionName: 'Finder.find_dupes', parameters: ['self', 'items'], method }));
    assert.match(text, /the Python method `Finder\.find_dupes` \(parameters, in order: `self`, `items`; the first is the receiver, a `Finder` object\)/);
    assert.match(text, /Each argument list starts with the receiver, a `Finder` instance.*predefined globals of the module/s);
  });

  it('shows a failed previous attempt and its error for repair', () => {
    const text = userText(buildWorkloadPrompt({ ...context, previousAttempt: { code: 'def sized_input(n):\n    return [n]\n', error: 'NameError: name correctness_inputs is not defined' } }));
    assert.match(text, /previous module failed/);
    assert.ok(text.includes('def sized_input(n):\n    return [n]'));
    assert.ok(text.includes('NameError: name correctness_inputs is not defined'));
  });

  it('shares the system message with the optimize prompt and is deterministic', () => {
    assert.deepEqual(buildWorkloadPrompt(context)[0], buildSystemMessage('python'));
    assert.deepEqual(buildWorkloadPrompt(context), buildWorkloadPrompt({ ...context }));
  });
});
