// MovieLens-100K for the quality benchmark: read in place from the shared data folder (never
// copied into the repo), split leave-latest-out, with 99 sampled unrated items per player.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgeBand } from "../../src/gen/vitrine/v1/common.js";
import { seededRandom } from "../../src/model/seededRandom.js";

/** ../shared/data/ml-100k relative to the repository root. */
export const movieLensDirectory = join(fileURLToPath(new URL("../../", import.meta.url)), "../shared/data/ml-100k");

export interface Movie {
  itemId: string;
  /** Genre names, in the file's order; "unknown" when none is set. */
  genres: string[];
  /** The release decade, e.g. "1990s". */
  decade: string;
}

export interface MovieLensUser {
  playerId: string;
  ageBand: AgeBand;
  /**
   * A coarse region from the zip code's first digit, as an ISO 3166 user-assigned code (XA..XJ
   * for 0..9, XZ for a foreign code), so it passes telemetry's region validation.
   */
  region: string;
}

export interface Rating {
  playerId: string;
  itemId: string;
  time: number;
}

export interface HeldOutCase {
  playerId: string;
  heldOut: string;
  /** The held-out item followed by 99 items the player never rated. */
  candidates: string[];
}

export interface MovieLensSplit {
  movies: Movie[];
  users: Map<string, MovieLensUser>;
  /** Every rating but each player's latest, in time order. */
  training: Rating[];
  cases: HeldOutCase[];
}

const sampledNegatives = 99;

/** The AgeBand of common.proto; the few children of the data set count as 13-17, since under-13s are never personalised. */
function ageBandOf(age: number): AgeBand {
  if (age < 18) return AgeBand.AGE_BAND_13_17;
  if (age < 25) return AgeBand.AGE_BAND_18_24;
  if (age < 35) return AgeBand.AGE_BAND_25_34;
  return age < 45 ? AgeBand.AGE_BAND_35_44 : AgeBand.AGE_BAND_45_PLUS;
}

export function loadMovieLens(seed = 42): MovieLensSplit {
  const read = (file: string) => readFileSync(join(movieLensDirectory, file), "latin1").split("\n").filter((line) => line.trim() !== "");
  const genreNames = read("u.genre").map((line) => line.split("|")[0]!);
  const movies = read("u.item").map((line): Movie => {
    const fields = line.split("|");
    const flags = fields.slice(5, 5 + genreNames.length);
    const genres = genreNames.filter((_, i) => flags[i] === "1");
    const year = /(\d{4})$/.exec(fields[2] ?? "")?.[1];
    return { itemId: `m${fields[0]}`, genres: genres.length > 0 ? genres : ["unknown"], decade: year ? `${year.slice(0, 3)}0s` : "unknown" };
  });
  const users = new Map(
    read("u.user").map((line) => {
      const [id, age, , , zip] = line.split("|");
      return [`u${id}`, { playerId: `u${id}`, ageBand: ageBandOf(Number(age)), region: /^\d/.test(zip ?? "") ? `X${"ABCDEFGHIJ"[Number(zip![0])]}` : "XZ" }] as const;
    }),
  );
  const ratings = read("u.data").map((line): Rating => {
    const [user, item, , time] = line.split("\t");
    return { playerId: `u${user}`, itemId: `m${item}`, time: Number(time) };
  });
  ratings.sort((a, b) => a.time - b.time || a.playerId.localeCompare(b.playerId) || a.itemId.localeCompare(b.itemId));

  const latest = new Map<string, Rating>();
  const rated = new Map<string, Set<string>>();
  for (const rating of ratings) {
    latest.set(rating.playerId, rating);
    if (!rated.has(rating.playerId)) rated.set(rating.playerId, new Set());
    rated.get(rating.playerId)!.add(rating.itemId);
  }
  const heldOut = new Set(latest.values());
  const random = seededRandom(seed);
  const cases = [...latest.values()]
    .sort((a, b) => Number(a.playerId.slice(1)) - Number(b.playerId.slice(1)))
    .map((rating): HeldOutCase => {
      const seen = rated.get(rating.playerId)!;
      const negatives = new Set<string>();
      while (negatives.size < sampledNegatives) {
        const movie = movies[Math.floor(random() * movies.length)]!;
        if (!seen.has(movie.itemId)) negatives.add(movie.itemId);
      }
      return { playerId: rating.playerId, heldOut: rating.itemId, candidates: [rating.itemId, ...negatives] };
    });
  return { movies, users, training: ratings.filter((rating) => !heldOut.has(rating)), cases };
}

/** Accumulates HR@10 and NDCG@10 from the held-out item's 0-based rank among the candidates. */
export class TopTenMetrics {
  private hits = 0;
  private gain = 0;
  private count = 0;

  add(rank: number): void {
    this.count++;
    if (rank < 10) {
      this.hits++;
      this.gain += 1 / Math.log2(rank + 2);
    }
  }

  get hitRate(): number {
    return this.hits / this.count;
  }

  get ndcg(): number {
    return this.gain / this.count;
  }
}

/** The held-out item's rank when candidates are ordered by score, ties counted against it. */
export function rankOfFirst(scores: ArrayLike<number>): number {
  let rank = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! >= scores[0]!) rank++;
  return rank;
}
