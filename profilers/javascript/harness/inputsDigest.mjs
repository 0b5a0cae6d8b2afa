// A digest of the inputs a process materialised: both sides of a comparison make their inputs in their own process, and
// must have made the same ones (a workload drawing from an unseeded source would compare different calls).
import { digest, snapshotArguments } from './snapshot.mjs';

export function inputsDigest(inputs) {
  return digest(...inputs.correctness.map(snapshotArguments), '|', ...inputs.performance.map(snapshotArguments));
}
