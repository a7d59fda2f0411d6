import type { Creative } from "../gen/vitrine/v1/catalog.js";

const language = (locale: string) => locale.split(/[-_]/)[0]!.toLowerCase();

/** 3 for the player's exact locale, 2 for the same language, 1 for a creative for any locale, 0 otherwise. */
function localeFit(creative: Creative, playerLocale: string): number {
  if (creative.locale === "") return 1;
  if (playerLocale === "") return 0;
  if (creative.locale.toLowerCase() === playerLocale.toLowerCase()) return 3;
  return language(creative.locale) === language(playerLocale) ? 2 : 0;
}

/**
 * The creatives worth choosing among for a player: those that fit the player's locale best
 * (exact locale, then same language, then locale-neutral, then any as a last resort).
 */
export function creativesForLocale(creatives: readonly Creative[], playerLocale: string): readonly Creative[] {
  if (creatives.length <= 1) return creatives;
  let best = -1;
  for (const creative of creatives) best = Math.max(best, localeFit(creative, playerLocale));
  return creatives.filter((creative) => localeFit(creative, playerLocale) === best);
}
