/**
 * Line mapping for TypeScript programs: the harness runs esbuild's JavaScript, V8's profiler reports its lines, and the
 * user reads the TypeScript. Only the parts of source maps the line profile needs: generated line → original line.
 */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((ch, i) => [ch, i]));

/** The numbers of one source-map segment (base64 VLQ). */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = DIGIT.get(ch);
    if (digit === undefined) throw new Error(`invalid base64 VLQ character ${JSON.stringify(ch)}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  return values;
}

/**
 * 1-based generated line → 1-based original line, from a source map's `mappings` (single source). A generated line
 * maps to the original line of its first segment that has one.
 */
export function generatedToOriginalLines(mappings: string): Map<number, number> {
  const lines = new Map<number, number>();
  let originalLine = 0;
  mappings.split(';').forEach((line, index) => {
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      if (fields.length < 4) continue;
      originalLine += fields[2] as number;
      if (!lines.has(index + 1)) lines.set(index + 1, originalLine + 1);
    }
  });
  return lines;
}

/** How TypeScript becomes the JavaScript the harness runs (types stripped, not checked). */
export const TYPESCRIPT_TRANSFORM = { loader: 'ts', format: 'esm', target: 'node20' } as const;

/** The line map of TypeScript as the JavaScript harness runs it (the same esbuild transform, plus a source map). */
export async function typeScriptLineMap(source: string): Promise<Map<number, number>> {
  const { transform } = await import('esbuild');
  const result = await transform(source, { ...TYPESCRIPT_TRANSFORM, sourcemap: 'external' });
  const map = JSON.parse(result.map) as { mappings?: string };
  return generatedToOriginalLines(map.mappings ?? '');
}
