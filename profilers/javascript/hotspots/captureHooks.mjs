// The ES-module half of a capture run (registered by capture.cjs with module.register): ES modules Node loads get the
// recorder's call at their targets' entry, as CommonJS modules do in capture.cjs.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { rewriteForCapture } = createRequire(import.meta.url)('./captureRewrite.cjs');
let targets = [];

export function initialize(data) {
  targets = data?.targets ?? [];
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.startsWith('file:') || loaded.format !== 'module' || loaded.source == null) return loaded;
  const text = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  const rewritten = rewriteForCapture(fileURLToPath(url), text, targets);
  return rewritten === text ? loaded : { ...loaded, source: rewritten };
}
