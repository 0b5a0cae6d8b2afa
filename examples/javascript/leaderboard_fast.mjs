// A game's leaderboard. ranking() sorts the scores once: a player's rank is where their score first appears.

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
    const scores = this.entries.map((entry) => entry.score).sort((a, b) => b - a);
    const rankOf = new Map();
    scores.forEach((score, i) => {
      if (!rankOf.has(score)) rankOf.set(score, i + 1);
    });
    const ranked = this.entries.map((entry) => ({ name: entry.name, rank: rankOf.get(entry.score) }));
    return ranked.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
