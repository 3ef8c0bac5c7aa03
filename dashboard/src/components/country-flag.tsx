/** A country's flag for an ISO 3166-1 alpha-2 code; a neutral placeholder (same size) for unknown ones. */
export function CountryFlag({ code }: { code: string }) {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) {
    return <span className="flag flag-unknown" aria-hidden="true" />;
  }
  return <img className="flag" src={`/flags/${upper}`} width={20} height={14} alt="" loading="lazy" />;
}
