// Short human lists for messages: the first few names, then a count.

export function listNames(names: readonly string[], none: string, max = 5): string {
  if (names.length === 0) return none;
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
