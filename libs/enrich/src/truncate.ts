/**
 * Cuts `value` to at most `max` UTF-16 code units without splitting a surrogate pair, so a capped
 * string never ends in half an emoji (which would turn into U+FFFD on its way to ClickHouse).
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  // A high surrogate as the last kept unit means its low half was cut off: drop it too.
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
