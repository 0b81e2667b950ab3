"""Scrapy settings for govnews.

Only deviations from Scrapy's defaults are set here, each with its reason. Users override any of them
with ``-s NAME=VALUE`` or in their own settings module; the README lists the ones meant for users.
"""

from __future__ import annotations

BOT_NAME = "govnews"
# The design card puts spiders and pipelines at the top level, beside the library.
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness: these are small public-sector servers. ------------------------------------------
ROBOTSTXT_OBEY = True
# Identify ourselves; GOVNEWS_CONTACT (a URL or e-mail) is appended so site operators can reach us.
USER_AGENT = "govnews/0.1 (research crawler of public government news)"
GOVNEWS_CONTACT = "https://github.com/govnews/govnews"
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # Scrapy default 8 is too much for a county web server.
DOWNLOAD_DELAY = 1.0  # Randomized 0.5x-1.5x by RANDOMIZE_DOWNLOAD_DELAY (Scrapy default on).
AUTOTHROTTLE_ENABLED = True  # Back off further when a site slows down.
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Crawls of local targets (file://, 127.0.0.1, localhost) skip the delays: see spiders.base.
RETRY_ENABLED = True
RETRY_TIMES = 3  # Scrapy default 2; government servers time out often. 5xx/408/429 are retried.
DOWNLOAD_TIMEOUT = 30  # Scrapy default 180 s stalls a crawl on one dead server.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # An article page is < 1 MiB; anything beyond 8 MiB is not a page.
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A host nobody named must resolve to a public address: an allowed domain (or a subdomain a page links
# to) pointing at 127.0.0.1, 10.x or 169.254.169.254 would turn the crawler against its own network.
TWISTED_DNS_RESOLVER = "govnews.resolver.GuardedResolver"
GOVNEWS_ALLOW_PRIVATE_ADDRESSES = False  # True for a crawl of an intranet portal

# --- Decoding, extraction, cleaning ---------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Conditional requests for rechecked articles; before the mirror (120) so it sees real addresses.
    "govnews.middlewares.incremental.ConditionalRequestMiddleware": 110,
    "govnews.middlewares.useragent.ContactUserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    # Offline mirrors (GOVNEWS_MIRROR): after offsite (50) and robots.txt (100), so both still judge
    # the real address; inert when GOVNEWS_MIRROR is empty.
    "govnews.middlewares.mirror.MirrorMiddleware": 120,
    # Runs after decompression (590) on the way back, so it sees the page's real bytes.
    "govnews.middlewares.encoding.EncodingMiddleware": 580,
    # Before the retry middleware (550) sees the failure: a host that resolves to a non-public address is
    # refused (govnews.resolver), not retried.
    "govnews.resolver.PrivateAddressMiddleware": 560,
    # Last before the download: a request waits here while pages wait for the worker pool.
    "govnews.middlewares.backpressure.WorkerBackpressureMiddleware": 990,
}
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 300,
    "pipelines.validate.ValidatePipeline": 500,
    "pipelines.dedup.DedupPipeline": 600,
    "pipelines.state.StatePipeline": 700,  # new / changed / unchanged / repost, against the state store
}
SPIDER_MIDDLEWARES = {
    # Skips article links known unchanged, stops paging when a list shows nothing new, counts pages by site.
    "govnews.middlewares.incremental.IncrementalSpiderMiddleware": 70,
}
EXTENSIONS = {
    "govnews.workers.Workers": 90,  # the worker pool (GOVNEWS_WORKERS), before the state store's run opens
    "govnews.incremental.IncrementalState": 100,
    "govnews.extensions.CrawlSummary": 500,
    "govnews.report.extension.CrawlReport": 510,
}
# Fetch every page from this local mirror instead of the live site (e.g. http://127.0.0.1:8765/):
# http://host/path?q is read from <mirror>/host/path?q; ids and output keep the real addresses.
GOVNEWS_MIRROR = ""
# Write the final stats as JSON to this path (used by tests and schedulers); empty: don't.
GOVNEWS_STATS_FILE = ""
# Articles whose text is shorter than this many Han characters are dropped as empty_text.
GOVNEWS_MIN_TEXT_CHARS = 10
# Drop an article whose cleaned body equals one already exported under another address (a mirror).
# The ad hoc `article` spider turns this off: there every URL you name is one you asked for.
GOVNEWS_DEDUP_CONTENT = True

# Extraction and cleaning run in this many worker processes (govnews.workers), off the event loop that drives
# the downloads; "auto": one fewer than the cores, at least one (measured: BENCHMARKS.md, "Crawl throughput");
# 0: in the crawl's own process (debugging; the memory of one process).
GOVNEWS_WORKERS = "auto"
# Jobs sent ahead to each worker (one running, the rest in its pipe): deep enough that a worker never waits
# while the crawl process is off the CPU (on a busy machine, 16 did 1.3-1.7x what 2 did: BENCHMARKS.md).
GOVNEWS_WORKER_QUEUE = 16
GOVNEWS_WORKER_TIMEOUT = 300.0  # seconds one page may take in a worker before it is killed (worker_timeout)
# Downloads wait while this many pages wait for a worker (govnews.middlewares.backpressure): a bounded backlog.
GOVNEWS_WORKER_BACKLOG = 64
# Items processed at once per response: an article page yields one item, a list page only requests; Scrapy's
# default of 100 starts 100 tasks for every response, each waiting as long as the page waits for a worker.
CONCURRENT_ITEMS = 8

# --- Incremental crawls (README, "Scheduled and incremental crawls") -------------------------------
# The state store remembers every exported article across runs; empty: off (every run exports all).
GOVNEWS_STATE_PATH = "data/state.sqlite"
GOVNEWS_STATE_BACKEND = "sqlite"
# Known articles linked from a list page are fetched again (conditionally) after this many days.
GOVNEWS_RECHECK_DAYS = 30.0
# An article link that answers HTTP 404/410 on this many runs in a row is gone: it no longer keeps its
# column from counting as walked completely, and is fetched again only after GOVNEWS_RECHECK_DAYS. 0: never.
GOVNEWS_GONE_AFTER_RUNS = 3
# Reposts (duplicate_of set) are remembered but not exported, unless this is on.
GOVNEWS_EXPORT_DUPLICATES = False
# Estimated Jaccard similarity of 5-character shingles at which two bodies are one article (measured).
GOVNEWS_NEAR_DUPLICATE_THRESHOLD = 0.7
# Folder that file:// pages are named relative to (canonical_url, id), e.g. a checkout's root, so the same
# page has the same id wherever the folder is; empty: a page is named by its own absolute path. Either way
# a file's id depends on its path alone, never on which other files a run names.
GOVNEWS_FILE_ROOT = ""
# Scrapy's JOBDIR would remember every request ever scheduled and, on the next run, fetch nothing:
# the state store decides what is new, so request fingerprints last one run (govnews.incremental).
DUPEFILTER_CLASS = "govnews.incremental.RunDupeFilter"
# A JOBDIR queue left by a killed run is discarded rather than resumed: queuelib cannot read it back safely.
SCHEDULER = "govnews.incremental.CrashSafeScheduler"

# --- Output ---------------------------------------------------------------------------------------
# Without -o/-O (or a FEEDS setting of yours) every crawl writes one JSONL file per run here. It is not
# put in FEEDS itself because Scrapy merges -O into FEEDS instead of replacing it (see spiders.base).
GOVNEWS_DEFAULT_FEED = "data/%(name)s/%(time)s.jsonl"
FEED_URI_PARAMS = "govnews.extensions.remember_feed_params"  # lets the summary name the file written
# Appended lines are fsynced and their articles committed to the state store in groups of this many lines,
# and at least this often while lines wait (govnews.feeds): one fsync and one transaction per line held the
# event loop for a third of a fast crawl's time. A run killed in between loses nothing: recovery commits
# every whole line the file holds. 1: every line on its own.
GOVNEWS_FEED_SYNC_LINES = 100
GOVNEWS_FEED_SYNC_SECONDS = 1.0
# Scrapy's JSON lines exporter, the same bytes at a tenth of the cost for our dataclass items (govnews.exporters).
FEED_EXPORTERS = {"jsonlines": "govnews.exporters.JsonLinesExporter", "jsonl": "govnews.exporters.JsonLinesExporter"}
FEED_EXPORT_ENCODING = "utf-8"  # Chinese unescaped (Scrapy's default escapes to \uXXXX).
# Local files: whole fsynced lines, -O through a temporary file, lines committed to the state store.
FEED_STORAGES = {"": "govnews.feeds.DurableFileFeedStorage", "file": "govnews.feeds.DurableFileFeedStorage"}
# Scrapy's default DEBUG logs every item in full: the log outgrows the data. Summary and drops are INFO.
LOG_LEVEL = "INFO"
LOG_FORMATTER = "govnews.extensions.QuietDropLogFormatter"

# `scrapy crawl` checks spider arguments before crawling and reports a bad one in one line.
COMMANDS_MODULE = "govnews.commands"

# --- Safety and faults (README "Safety") -------------------------------------------------------------
# Every page is hostile input. The URL policy (govnews.safety) replaces Scrapy's offsite filter in its
# slot: only the crawl's own domains over http(s), local files only within what the user named, no
# credentials, no ports browsers refuse, URLs up to URLLENGTH_LIMIT; refusals are govnews/refused/<reason>.
# ResponseIntegrityMiddleware (before decompression and redirects) fails truncated or mislabelled bodies
# and redirect loops with a reason, where Scrapy would pass them on silently.
DOWNLOADER_MIDDLEWARES.update({
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "govnews.middlewares.safety.SafetyMiddleware": 50,
    "govnews.middlewares.safety.ResponseIntegrityMiddleware": 610,
    "govnews.middlewares.safety.PageComplexityMiddleware": 585,  # after decompression (590)
})
DOWNLOAD_FAIL_ON_DATALOSS = True  # Scrapy's default, relied on: a body shorter than announced is a failure
GOVNEWS_ROBOTSTXT_MAXSIZE = 512 * 1024  # robots.txt beyond this is not read (Google's limit is 500 KiB)
# A crawl opens no listening socket: Scrapy's telnet console and remote-control HTTP server would let any
# local process that finds their credentials run code inside the crawler.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
ITEM_PIPELINES.update({"pipelines.limits.TextLimitPipeline": 200})  # before cleaning: drop `oversized`
GOVNEWS_MAX_TEXT_CHARS = 300_000  # a government article is tens of thousands of characters at most
# Parsing time grows with elements: an 8 MB page of 800,000 <p> held the event loop 23-36 s. Real article pages
# have up to ~6,500 tags; a page with more than this fails as too_many_tags before it is parsed.
GOVNEWS_MAX_HTML_TAGS = 50_000
# List pages read per start page, and article links followed per list page, when -a max_pages does not
# say: a site generating endless distinct pages or a page of 100,000 links cannot hold a crawl forever.
GOVNEWS_MAX_LIST_PAGES = 1000
GOVNEWS_MAX_LINKS_PER_PAGE = 1000
# Exit status (govnews.exitcodes): 4 when more than this share of the pages tried failed.
GOVNEWS_MAX_ERROR_RATE = 0.2
EXTENSIONS.update({"govnews.exitcodes.ExitStatus": 400})  # decides before CrawlSummary (500) writes stats
SPIDER_MIDDLEWARES.update({"govnews.exitcodes.PageCountMiddleware": 60})  # after HttpErrorMiddleware (50)
# urls_file: a bad line is reported with its number and skipped; True stops the crawl at the first one.
GOVNEWS_URLS_FILE_STRICT = False
# Twisted keeps every response header line it is sent: a server sending them without end grows the crawl
# by ~100 MB/s. govnews.download bounds the header section (a fetch over it fails as too_large).
DOWNLOAD_HANDLERS = {"http": "govnews.download.BoundedHTTPDownloadHandler",
                     "https": "govnews.download.BoundedHTTPDownloadHandler"}
GOVNEWS_MAX_HEADER_BYTES = 256 * 1024

# --- Distributed crawling (README "Distributed crawling") -------------------------------------------
# REDIS_URL (setting or environment; e.g. redis://:PASSWORD@10.0.0.5:6379/0), or GOVNEWS_BACKEND=redis,
# turns a crawl into one worker of a fleet: the add-on below switches in scrapy-redis's scheduler with a
# reliable queue, a shared request filter, the Redis state store, fleet-wide politeness and stats.
# Every fleet default (heartbeat, key prefix, ...) is in govnews/fleet/defaults.py. Empty: one machine.
REDIS_URL = ""
GOVNEWS_BACKEND = ""
ADDONS = {"govnews.fleet.addon.FleetAddon": 0}
