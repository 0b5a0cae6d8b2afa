/**
 * Where the bench tests read the public benchmark data: PERFLOOP_BENCH_DATA, else ../shared/bench-data next to the
 * repository, else the slice committed in test/fixtures/bench-data (so the tests run on any clone).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shared = path.join(root, '..', 'shared', 'bench-data');

export const FULL_BENCH_DATA = process.env.PERFLOOP_BENCH_DATA ?? shared;

/** True when the whole data set is there (tests of its size run only then). */
export const HAVE_FULL_BENCH_DATA = existsSync(path.join(FULL_BENCH_DATA, 'evalperf_python.dev.jsonl'));

export const BENCH_DATA_DIR = HAVE_FULL_BENCH_DATA ? FULL_BENCH_DATA : path.join(root, 'test', 'fixtures', 'bench-data');
