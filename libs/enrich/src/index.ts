// Pure per-event enrichment used by the ingest receiver: UA, bots, country, referrer, campaign.
export { isBotUserAgent, MIN_BROWSER_USER_AGENT_LENGTH } from './bot-filter';
export { CountryLookup, defaultCountryDatabasePath } from './country-lookup';
export {
  classifyReferrer,
  knownSourceForHost,
  MAX_REFERRER_LENGTH,
  resolveSource,
  type ClassifiedReferrer,
  type SourceInputs,
} from './referrer-source';
export { REFERRER_SOURCE_HOSTS, SOURCE_ALIASES } from './referrer-source-hosts';
export { isReferrerSpam } from './referrer-spam';
export { REFERRER_SPAM_DOMAINS } from './referrer-spam-domains';
export { truncate } from './truncate';
export {
  clearUserAgentCache,
  MAX_USER_AGENT_LENGTH,
  parseUserAgent,
  USER_AGENT_CACHE_SIZE,
  userAgentCacheSize,
  type DeviceType,
  type ParsedUserAgent,
} from './user-agent';
export { extractUtm, MAX_UTM_LENGTH, type UtmParams } from './utm';
