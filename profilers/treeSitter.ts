/**
 * Loads web-tree-sitter and one grammar per language, once per process. The grammars are the prebuilt WASM files of
 * tree-sitter-wasms; bundles carry copies next to themselves (see esbuild.mjs), development runs read node_modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';

export type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx' | 'c' | 'cpp';

const here = dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

let runtimeReady: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();

function locate(fileName: string, packagePath: string): string {
  const bundled = join(here, fileName);
  if (existsSync(bundled)) return bundled;
  try {
    return requireFromHere.resolve(packagePath);
  } catch {
    throw new Error(`Perfloop could not find ${fileName} (looked next to ${here} and in node_modules/${packagePath}).`);
  }
}

function initRuntime(): Promise<void> {
  runtimeReady ??= Parser.init({
    locateFile: (name: string) => locate(name, `web-tree-sitter/${name}`),
  });
  return runtimeReady;
}

/** A parser for `grammar`. Parsers are cheap; the runtime and languages behind them are cached. */
export async function createParser(grammar: GrammarName): Promise<Parser> {
  await initRuntime();
  let language = languages.get(grammar);
  if (!language) {
    const file = `tree-sitter-${grammar}.wasm`;
    language = Language.load(locate(file, `tree-sitter-wasms/out/${file}`));
    languages.set(grammar, language);
  }
  const parser = new Parser();
  parser.setLanguage(await language);
  return parser;
}
