import type { Placement } from "../gen/vitrine/v1/catalog.js";

/** The diversity distance used when a request leaves it 0, in world units. */
export const defaultDiversityDistance = 25;

const distance = (a: Placement, b: Placement) =>
  Math.hypot((a.position?.x ?? 0) - (b.position?.x ?? 0), (a.position?.y ?? 0) - (b.position?.y ?? 0), (a.position?.z ?? 0) - (b.position?.z ?? 0));

/** Keeps a brand from showing at two placements of a scene closer than a distance. */
export class BrandSpacing {
  private readonly shown: { placement: Placement; brand: string }[] = [];
  private readonly minDistance: number;

  /** `requested` as a request gives it: 0 means the default, negative turns diversity off. */
  constructor(requested: number) {
    this.minDistance = requested === 0 ? defaultDiversityDistance : requested;
  }

  /** Brands already shown closer than the distance to `placement`; undefined when diversity is off. */
  excludedAt(placement: Placement): Set<string> | undefined {
    if (this.minDistance < 0) return undefined;
    return new Set(this.shown.filter((s) => distance(s.placement, placement) < this.minDistance).map((s) => s.brand));
  }

  record(placement: Placement, brand: string): void {
    this.shown.push({ placement, brand });
  }
}
