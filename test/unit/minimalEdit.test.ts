import assert from 'node:assert/strict';
import { minimalReplacement } from '../../profilers/minimalEdit.js';

function applied(oldText: string, newText: string): string {
  const r = minimalReplacement(oldText, newText);
  if (!r) return oldText;
  assert.equal(oldText.slice(r.start, r.end), r.replaced);
  return oldText.slice(0, r.start) + r.text + oldText.slice(r.end);
}

describe('minimal replacement for Apply', () => {
  it('reproduces the new text exactly, for many kinds of change', () => {
    const cases: [string, string][] = [
      ['a\nb\nc\n', 'a\nB\nc\n'],
      ['import os\n\ndef f():\n    return 1\n', 'import os\nimport re\n\ndef f():\n    return 2\n'],
      ['x', 'xy'],
      ['xy', 'x'],
      ['', 'new\n'],
      ['old\n', ''],
      ['same\nsame\n', 'same\nsame\nsame\n'],
      ['def f():\n    pass', 'def f():\n    return 0'],
      ['aaa', 'aaaa'],
    ];
    for (const [before, after] of cases) assert.equal(applied(before, after), after, JSON.stringify([before, after]));
  });

  it('touches only the changed lines and keeps whole lines', () => {
    const before = 'header\n\ndef f(xs):\n    return sorted(xs)\n\nfooter\n';
    const after = 'header\n\ndef f(xs):\n    return list(xs)\n\nfooter\n';
    const r = minimalReplacement(before, after);
    assert.deepEqual(r && { replaced: r.replaced, text: r.text }, { replaced: '    return sorted(xs)\n', text: '    return list(xs)\n' });
  });

  it('returns nothing when the texts are equal', () => {
    assert.equal(minimalReplacement('same', 'same'), undefined);
  });
});
