/** A documented route path (`/v1/collections/{id}/items`) as a regular expression over paths. */
export const documentPathPattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
