/** What an empty or raw dimension value reads as in the UI. */
export function displayValue(dimension: string, raw: string): string {
  if (raw !== '') return raw;
  switch (dimension) {
    case 'visit:source':
    case 'visit:referrer':
      return 'Direct / None';
    case 'visit:utm_source':
    case 'visit:utm_medium':
    case 'visit:utm_campaign':
    case 'visit:utm_content':
    case 'visit:utm_term':
      return '(not set)';
    default:
      return '(none)';
  }
}
