/** What a key may do: `client` is game code, `designer` tunes and reads, `admin` manages keys and privacy. */
export type Scope = "client" | "designer" | "admin";
export const allScopes: readonly Scope[] = ["client", "designer", "admin"];

export function parseScopes(text: string): Scope[] {
  const scopes = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const scope of scopes) {
    if (!allScopes.includes(scope as Scope)) throw new Error(`unknown scope "${scope}" (expected ${allScopes.join(", ")})`);
  }
  if (scopes.length === 0) throw new Error("at least one scope is required");
  return [...new Set(scopes)] as Scope[];
}
