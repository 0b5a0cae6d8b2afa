/** The language descriptors of every runner, by language id: the optimizer's only source of per-language facts. */
import type { LanguageDescriptor } from './languageDescriptor.js';
import { javascriptLanguage, typescriptLanguage } from './javascript/javascriptLanguage.js';
import { cLanguage, cppLanguage } from './native/nativeLanguage.js';
import { pythonLanguage } from './python/pythonLanguage.js';
import type { LanguageId } from './runner.js';

const DESCRIPTORS: Record<LanguageId, LanguageDescriptor> = {
  python: pythonLanguage,
  javascript: javascriptLanguage,
  typescript: typescriptLanguage,
  c: cLanguage,
  cpp: cppLanguage,
};

export function languageDescriptor(id: LanguageId): LanguageDescriptor {
  return DESCRIPTORS[id];
}

/** The language a fence tag names (```javascript → JavaScript), when it names one Perfloop knows. */
export function languageOfFenceTag(tag: string): LanguageDescriptor | undefined {
  return Object.values(DESCRIPTORS).find((descriptor) => descriptor.fenceTags.has(tag));
}
