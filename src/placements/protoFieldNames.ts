/** "viewableExposure" → "viewable_exposure": errors and field masks speak proto field names. */
export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** "viewable_exposure" → "viewableExposure": the name ts-proto gives the field. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}
