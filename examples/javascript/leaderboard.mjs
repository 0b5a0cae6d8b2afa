// A game's leaderboard. ranking() is quadratic: for every player it counts how many others score higher.

export class Leaderboard {
  constructor(entries = []) {
    this.entries = entries.map(([name, score]) => ({ name, score }));
    this.rankings = 0;
  }

  add(name, score) {
    this.entries.push({ name, score });
  }

  /** Every player with their 1-based rank (equal scores share a rank), best first, then by name. */
  ranking() {
    this.rankings++;
    const ranked = [];
    for (const entry of this.entries) {
      let better = 0;
      for (const other of this.entries) {
        if (other.score > entry.score) better++;
      }
      ranked.push({ name: entry.name, rank: better + 1 });
    }
    return ranked.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
