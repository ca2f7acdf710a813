// Escaping for the HTML report: every name, message and value from a cluster is attacker-controlled.

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content (HTML and SVG). */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** Text for a double-quoted attribute value. */
export const attr = esc;
