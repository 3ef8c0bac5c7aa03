/**
 * Well-known referrer hosts grouped by the source name the dashboard shows. Data, not logic:
 * - `example.com` matches that host and every subdomain of it (m.facebook.com → Facebook);
 * - `google.*` matches that name under any country TLD (google.de, google.co.uk, google.com.au);
 * - Android package names match `android-app://<package>/` referrers sent by native apps.
 * The most specific entry wins, so mail.google.com is Gmail even though google.* is Google.
 */
export const REFERRER_SOURCE_HOSTS: Readonly<Record<string, readonly string[]>> = {
  // Search engines
  Google: ['google.*', 'com.google.android.googlequicksearchbox'],
  'Google News': ['news.google.com', 'com.google.android.apps.magazines'],
  Bing: ['bing.com'],
  DuckDuckGo: ['duckduckgo.com', 'com.duckduckgo.mobile.android'],
  'Yahoo!': ['yahoo.*'],
  Yandex: ['yandex.*', 'ya.ru'],
  Baidu: ['baidu.com'],
  Ecosia: ['ecosia.org'],
  Brave: ['search.brave.com'],
  Qwant: ['qwant.com'],
  Startpage: ['startpage.com'],
  Naver: ['naver.com'],
  Seznam: ['seznam.cz'],
  // Social
  Facebook: ['facebook.com', 'fb.com', 'fb.me', 'com.facebook.katana'],
  Instagram: ['instagram.com', 'com.instagram.android'],
  Twitter: ['twitter.com', 't.co', 'x.com', 'com.twitter.android'],
  LinkedIn: ['linkedin.com', 'lnkd.in', 'com.linkedin.android'],
  Reddit: ['reddit.com', 'redd.it', 'com.reddit.frontpage'],
  YouTube: ['youtube.com', 'youtu.be', 'com.google.android.youtube'],
  Pinterest: ['pinterest.*', 'pin.it'],
  TikTok: ['tiktok.com'],
  Threads: ['threads.net', 'threads.com'],
  Bluesky: ['bsky.app'],
  'Hacker News': ['news.ycombinator.com'],
  'Product Hunt': ['producthunt.com'],
  // Reference and communities
  GitHub: ['github.com'],
  GitLab: ['gitlab.com'],
  Wikipedia: ['wikipedia.org'],
  Medium: ['medium.com'],
  'Stack Overflow': ['stackoverflow.com'],
  'DEV Community': ['dev.to'],
  Substack: ['substack.com'],
  Quora: ['quora.com'],
  // Messaging
  Slack: ['slack.com', 'com.slack'],
  Discord: ['discord.com', 'discordapp.com'],
  Telegram: ['t.me', 'telegram.org', 'org.telegram.messenger'],
  WhatsApp: ['whatsapp.com', 'wa.me', 'com.whatsapp'],
  // AI assistants
  ChatGPT: ['chatgpt.com', 'chat.openai.com'],
  Perplexity: ['perplexity.ai'],
  Claude: ['claude.ai'],
  Gemini: ['gemini.google.com'],
  Copilot: ['copilot.microsoft.com'],
  // Webmail
  Gmail: ['mail.google.com', 'com.google.android.gm'],
  Outlook: ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'],
  'Yahoo Mail': ['mail.yahoo.com'],
  'Proton Mail': ['mail.proton.me'],
};

/**
 * Campaign tags people actually type in `utm_source`/`ref`, lower-cased, mapped to the same names
 * as referrer hosts so tagged and untagged visits land in one row. Values not listed are kept as
 * written (e.g. 'newsletter').
 */
export const SOURCE_ALIASES: Readonly<Record<string, string>> = {
  google: 'Google',
  bing: 'Bing',
  duckduckgo: 'DuckDuckGo',
  ddg: 'DuckDuckGo',
  yahoo: 'Yahoo!',
  yandex: 'Yandex',
  baidu: 'Baidu',
  ecosia: 'Ecosia',
  brave: 'Brave',
  fb: 'Facebook',
  facebook: 'Facebook',
  ig: 'Instagram',
  instagram: 'Instagram',
  twitter: 'Twitter',
  x: 'Twitter',
  linkedin: 'LinkedIn',
  reddit: 'Reddit',
  youtube: 'YouTube',
  yt: 'YouTube',
  pinterest: 'Pinterest',
  tiktok: 'TikTok',
  threads: 'Threads',
  bluesky: 'Bluesky',
  hn: 'Hacker News',
  hackernews: 'Hacker News',
  'hacker news': 'Hacker News',
  'hacker-news': 'Hacker News',
  producthunt: 'Product Hunt',
  'product hunt': 'Product Hunt',
  'product-hunt': 'Product Hunt',
  github: 'GitHub',
  wikipedia: 'Wikipedia',
  medium: 'Medium',
  stackoverflow: 'Stack Overflow',
  slack: 'Slack',
  discord: 'Discord',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  chatgpt: 'ChatGPT',
  openai: 'ChatGPT',
  perplexity: 'Perplexity',
  claude: 'Claude',
  gemini: 'Gemini',
  copilot: 'Copilot',
  gmail: 'Gmail',
  outlook: 'Outlook',
};
