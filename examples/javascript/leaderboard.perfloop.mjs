// Inputs for Leaderboard.ranking: each input is [receiver]. Perfloop passes the file's classes in, so the receivers are
// built with the class of the code being run.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function players(n, random) {
  return Array.from({ length: n }, () => [`p${Math.floor(random() * n)}`, Math.floor(random() * n)]);
}

export function correctnessInputs({ Leaderboard }) {
  const random = mulberry32(7);
  const inputs = [
    [new Leaderboard()],
    [new Leaderboard([['ann', 3]])],
    [new Leaderboard([['ann', 3], ['bob', 3], ['cy', 5]])],
    [new Leaderboard([['zed', -1], ['amy', 0], ['amy', 0], ['bo', 2.5]])],
  ];
  for (const n of [2, 3, 5, 8, 13, 40]) inputs.push([new Leaderboard(players(n, random))]);
  return inputs;
}

export function sizedInput(n, { Leaderboard }) {
  return [new Leaderboard(players(n, mulberry32(n)))];
}
