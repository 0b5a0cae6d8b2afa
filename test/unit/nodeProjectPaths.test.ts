import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nodeProjectPaths } from '../../profilers/harnessRun.js';

describe('nodeProjectPaths (what a JavaScript run must see of the user project)', () => {
  let root: string;
  const make = (relative: string, text?: string): string => {
    const full = path.join(root, relative);
    if (text === undefined) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    return full;
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'perfloop-project-paths-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  // Ancestors of the temporary directory (/tmp, /) are the machine's: only what lies under it is the test's.
  const underRoot = (paths: string[]): string[] => paths.filter((p) => p.startsWith(root + path.sep));

  it('shows the nearest package whole and every node_modules and package.json above it', () => {
    make('area/package.json', '{}');
    make('area/node_modules');
    make('area/repo/package.json', '{"type":"module"}');
    make('area/repo/node_modules');
    make('area/repo/packages/app/package.json', '{}');
    const file = make('area/repo/packages/app/src/f.js', 'export function f() {}');
    const paths = underRoot(nodeProjectPaths([file], [path.join(root, 'area')]));
    assert.deepEqual(paths, [
      path.join(root, 'area/repo/packages/app'),
      path.join(root, 'area/repo/package.json'),
      path.join(root, 'area/repo/node_modules'),
      path.join(root, 'area/package.json'),
      path.join(root, 'area/node_modules'),
    ]);
  });

  it('never shows a hidden area whole, even when it holds a package.json', () => {
    make('area/package.json', '{}');
    make('area/node_modules');
    const file = make('area/loose/f.js', 'export function f() {}');
    const paths = underRoot(nodeProjectPaths([file], [path.join(root, 'area')]));
    assert.deepEqual(paths, [path.join(root, 'area/package.json'), path.join(root, 'area/node_modules')]);
    assert.ok(!paths.includes(path.join(root, 'area')));
  });

  it('shows nothing for a file outside any package', () => {
    const file = make('plain/f.js', 'function f() {}');
    assert.deepEqual(underRoot(nodeProjectPaths([file], [root])), []);
  });
});
