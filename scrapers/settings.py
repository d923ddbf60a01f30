"""Scrapy settings: polite by default for live crawls; replay turns the delays off."""

BOT_NAME = "versus"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

USER_AGENT = "versus/0.1 (+https://github.com/versus-llm/versus; LLM price and spec records)"
ROBOTSTXT_OBEY = True

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

DOWNLOADER_MIDDLEWARES = {
    # Replay answers before anything touches the network; recording sees final responses.
    "scrapers.middlewares.SnapshotReplayMiddleware": 50,
    "scrapers.middlewares.SnapshotRecordMiddleware": 60,
    # Between the retry middleware (550) and the cache (900): a 429's Retry-After is waited out.
    "scrapers.live.RetryAfterMiddleware": 560,
    # Conditional re-fetches (scrapers/live.py): enabled by HTTPCACHE_ENABLED for live crawls.
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "scrapers.live.RevalidatingCacheMiddleware": 900,
}
VERSUS_RETRY_AFTER_MAX = 60  # seconds

HTTPCACHE_ENABLED = False  # scrapers.crawl turns it on for live crawls given a cache folder
HTTPCACHE_POLICY = "scrapers.live.RevalidatingPolicy"  # scrapy.extensions.httpcache.RFC2616Policy, 304s only
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_EXPIRATION_SECS = 0  # stored copies never expire from storage: the policy decides freshness
HTTPCACHE_GZIP = True
ITEM_PIPELINES = {"scrapers.pipelines.SpoolPipeline": 300}
EXTENSIONS = {"scrapers.progress.ProgressExtension": 500}  # JSON progress lines on stderr for the parent
VERSUS_PROGRESS_INTERVAL = 1.0  # seconds; 0 turns the progress lines off

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
