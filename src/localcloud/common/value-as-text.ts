/**
 * A request's value as an emulator's error message quotes it: a string as sent, anything else as
 * JSON. Never throws, whatever the caller sent (`String()` does on an object naming its own
 * `toString` and `valueOf`).
 */
export function valueAsText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
