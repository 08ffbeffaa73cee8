// Full names that legacy (V1) Whiplash payloads and shop exports use for common destinations, keyed in
// lower case. Anything not listed is kept as sent.
const COUNTRY_CODES_BY_NAME: Readonly<Record<string, string>> = {
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  'u.s.a.': 'US',
  'u.s.': 'US',
  canada: 'CA',
  mexico: 'MX',
  'puerto rico': 'PR',
  'united kingdom': 'GB',
  'great britain': 'GB',
  uk: 'GB',
  ireland: 'IE',
  australia: 'AU',
  'new zealand': 'NZ',
  germany: 'DE',
  france: 'FR',
  spain: 'ES',
  italy: 'IT',
  netherlands: 'NL',
  'the netherlands': 'NL',
  belgium: 'BE',
  switzerland: 'CH',
  austria: 'AT',
  sweden: 'SE',
  norway: 'NO',
  denmark: 'DK',
  finland: 'FI',
  japan: 'JP',
};

const ISO2_PATTERN = /^[A-Za-z]{2}$/;

/**
 * Converts a country as Whiplash sent it into an ISO 3166-1 alpha-2 code when it is one (any case) or a
 * name in the table above, and otherwise returns the trimmed value unchanged.
 */
export function toCountryCode(country: string): string {
  const trimmed = country.trim();
  if (ISO2_PATTERN.test(trimmed)) {
    return trimmed.toUpperCase();
  }
  return COUNTRY_CODES_BY_NAME[trimmed.toLowerCase()] ?? trimmed;
}
