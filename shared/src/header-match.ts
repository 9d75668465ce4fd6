/** How header (and Setting-name) text is matched: trimmed, case-insensitive, inner spaces folded. */
export function normalizeHeader(text: unknown): string {
  return String(text ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}
