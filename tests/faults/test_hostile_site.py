"""One real crawl of a hostile, broken county site on 127.0.0.1, judged case by case.

The site (``tests.faults.server``) lists one article link per case below; each case's page misbehaves in
its own way: server errors, timeouts, connections dropped under every framing, truncated and lying
compression, bombs, endless streams, redirect loops and chains, redirects and links off-site and to
local files, binary and empty bodies, wrong charsets, control characters, malformed and adversarial
HTML. The crawl runs as users run it (``scrapy crawl govsite``), behind the suite's recording proxy
and under a file-access audit. Every good article must be exported exactly once, every failure
counted with its reason, no host but 127.0.0.1 contacted, no file read, and the crawl must end in
bounded time.
"""

from __future__ import annotations

import gzip
import os
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.faults.harness import FaultCrawl, run_fault_crawl
from tests.faults.pages import article_html, article_url_path, list_html, title_for
from tests.faults.proxy import RecordingProxy
from tests.faults.server import (
    Behaviour,
    FaultServer,
    bomb,
    chunked,
    cut,
    drip,
    endless_headers,
    gzipped,
    hang_up,
    lying_length,
    raw,
    redirect,
    respond,
    sequence,
    slow,
    stream,
)

EVIL = "http://evil.example"


@dataclass(frozen=True)
class Case:
    """One article link of the list page and what must become of it.

    ``outcome``: ``exported`` (exactly once, at ``at`` when it moved), ``failed:<reason>`` (counted in
    ``govnews/fetch_failed/<reason>`` and logged for ``at``), ``refused:<reason>`` (counted in
    ``govnews/refused/<reason>``, never requested) or ``dropped`` (fetched, counted as a drop reason).
    """

    n: int
    name: str
    outcome: str
    routes: Callable[[str], dict[str, Behaviour]]
    at: str | None = None

    @property
    def path(self) -> str:
        return article_url_path(self.n)


def page(n: int, **kwargs: object) -> Behaviour:
    return respond(article_html(n, **kwargs))  # type: ignore[arg-type]


def own(n: int, behaviour: Behaviour) -> Callable[[str], dict[str, Behaviour]]:
    return lambda base: {article_url_path(n): behaviour}


GARBLE = "县政府召开会议研究部署工作" + "罪人?！睍r任"  # GBK byte loss, repeated into megabytes
ADVERSARIAL = "<div>" * 400 + "（" * 3000 + "<p>" + "文化(wénhuà)" * 2000 + "</p>" + "</div>" * 400


def _cases() -> list[Case]:
    c: list[Case] = [
        Case(1, "good", "exported", own(1, page(1))),
        Case(2, "good chunked", "exported", own(2, chunked(article_html(2)))),
        Case(3, "500 then 200", "exported", own(3, sequence(respond("oops", status=500), page(3)))),
        Case(4, "gzip", "exported", own(4, gzipped(article_html(4)))),
        Case(5, "deflate", "exported", own(5, gzipped(article_html(5), encoding="deflate"))),
        Case(6, "no Content-Length, ends at close", "exported",
             own(6, respond(article_html(6), content_length=False))),
        Case(7, "GBK bytes labelled utf-8", "exported",
             own(7, respond(article_html(7, charset="utf-8").encode("gbk")))),
        Case(8, "control characters", "exported",
             own(8, page(8, before="<!-- c -->\x01<script>x</script>\x0b<div hidden>h</div>\x1f",
                         paragraphs=["县政府召开\x07专题会议，研究\x7f部署春耕\x1b生产工作。",
                                     "会议要求各乡镇压实责任，确保各项任务落地见效。"]))),
        Case(9, "unclosed title", "exported",
             own(9, respond(article_html(9).replace("_岢岚县人民政府</title>", "")))),
        Case(10, "no html, head or body tags", "exported",
             own(10, respond(re.sub(r"</?(?:html|head|body)>", "", article_html(10).split("<!DOCTYPE html>")[1])))),
        Case(11, "on-site redirect chain", "exported", lambda base: {
            article_url_path(11): redirect("/moved/11a"), "/moved/11a": redirect(f"{base}/moved/11b"),
            "/moved/11b": page(11)}, at="/moved/11b"),
        Case(12, "on-site meta refresh", "exported", lambda base: {
            article_url_path(12): respond('<html><head><meta http-equiv="refresh" content="0;url=/moved/12">'
                                          "</head><body>跳转中</body></html>"),
            "/moved/12": page(12)}, at="/moved/12"),
        Case(13, "adversarial markup and text", "exported", own(13, page(13, after=ADVERSARIAL))),
        Case(14, "JavaScript redirect off-site (never run)", "exported",
             own(14, page(14, head=f"<script>location.href='{EVIL}/x.html'</script>"))),
        Case(15, "<base href> elsewhere on an article", "exported",
             own(15, page(15, head=f'<base href="{EVIL}/"><link rel="canonical" href="/t20240301_1.html">'))),
        Case(16, "relative Url meta (1 of 2)", "exported",
             own(16, page(16, head='<meta name="Url" content="t20240301_1.html">'))),
        Case(17, "relative Url meta (2 of 2)", "exported",
             own(17, page(17, head='<meta name="Url" content="t20240301_1.html">'))),
        Case(18, "malformed canonical link and image address", "exported",
             own(18, page(18, head='<link rel="canonical" href="http://[::1/x">',
                           paragraphs=["县政府召开专题会议，研究部署春耕生产工作。", "会议要求压实责任。"],
                           after='<p><img src="http://[::1/a.png"></p>'))),
        Case(19, "Url meta with a port out of range", "exported",
             own(19, page(19, head='<meta name="Url" content="http://127.0.0.1:99999/zwyw/t20240301_19.html">'))),
        # --- failures -----------------------------------------------------------------------------
        Case(30, "503 forever", "failed:http_5xx", own(30, respond("busy", status=503))),
        Case(31, "404", "failed:http_404", lambda base: {}),
        Case(32, "slower than DOWNLOAD_TIMEOUT", "failed:timeout", own(32, slow(20, page(32)))),
        Case(29, "one byte every half second", "failed:timeout", own(29, drip(article_html(29)))),
        Case(28, "meta refresh loop", "failed:redirect_loop", lambda base: {
            article_url_path(28): respond('<html><head><meta http-equiv="refresh" content="0;url=/mr/28b">'
                                          "</head></html>"),
            "/mr/28b": respond(f'<html><head><meta http-equiv="refresh" content="0;url={article_url_path(28)}">'
                               "</head></html>")}, at="/mr/28b"),
        Case(33, "dropped under Content-Length", "failed:dataloss", own(33, cut(article_html(33), 300))),
        Case(34, "dropped, no Content-Length", "failed:dataloss",
             own(34, cut(article_html(34), 300, framing="close"))),
        Case(35, "dropped chunked", "failed:dataloss", own(35, cut(article_html(35), 300, framing="chunked"))),
        Case(36, "hung up without a byte", "failed:connection_lost", own(36, hang_up())),
        Case(37, "truncated gzip", "failed:dataloss",
             own(37, gzipped(article_html(37) * 3, truncate_to=len(gzip.compress(article_html(37).encode())) // 2))),
        Case(38, "truncated deflate", "failed:dataloss",
             own(38, gzipped(article_html(38) * 3, encoding="deflate",
                             truncate_to=len(zlib.compress(article_html(38).encode())) // 2))),
        Case(39, "Content-Encoding gzip on a plain body", "failed:bad_encoding",
             own(39, respond(article_html(39), headers={"Content-Encoding": "gzip"}))),
        Case(40, "Content-Length of 20 MiB", "failed:too_large", own(40, lying_length(20 << 20))),
        Case(41, "endless stream", "failed:too_large", own(41, stream(b"<p>" + "无尽".encode() * 5000))),
        Case(42, "gzip bomb", "failed:too_large", own(42, bomb(64 << 20))),
        Case(43, "deflate bomb", "failed:too_large", own(43, bomb(64 << 20, encoding="deflate"))),
        Case(47, "endless header lines", "failed:too_large", own(47, endless_headers())),
        Case(48, "a 1 MB header line", "failed:connection_lost",
             own(48, raw(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * (1 << 20) + b"\r\nContent-Length: 2\r\n\r\nok"))),
        Case(49, "800,000 elements in 8 MB", "failed:too_many_tags", own(49, page(49, after="<p>县</p>" * 800_000))),
        Case(44, "redirect loop", "failed:redirect_loop", lambda base: {
            article_url_path(44): redirect("/loop/44b"), "/loop/44b": redirect(article_url_path(44))},
            at="/loop/44b"),
        Case(45, "redirect to itself", "failed:redirect_loop", own(45, redirect(article_url_path(45)))),
        Case(46, "25 redirects", "failed:too_many_redirects", lambda base: {
            article_url_path(46): redirect("/chain/1"),
            "/chain/*": lambda ex: redirect(f"/chain/{int(ex.path.rsplit('/', 1)[1]) + 1}")(ex)},
            at="/chain/20"),
        # --- refused: redirects that leave the site -----------------------------------------------
        Case(50, "redirect to another host", "refused:offsite", own(50, redirect(f"{EVIL}/a.html"))),
        Case(51, "redirect to localhost", "refused:offsite",
             lambda base: {article_url_path(51): redirect(base.replace("127.0.0.1", "localhost") + "/a.html")}),
        Case(52, "redirect to file:///etc/passwd", "refused:file_not_named",
             own(52, redirect("file:///etc/passwd"))),
        Case(53, "redirect to data:", "refused:scheme", own(53, redirect("data:text/html,<h1>x</h1>"))),
        Case(54, "redirect to ftp:", "refused:scheme", own(54, redirect("ftp://127.0.0.1/a.html"))),
        Case(55, "meta refresh to another host", "refused:offsite",
             own(55, respond(f'<html><head><meta http-equiv="refresh" content="0; url={EVIL}/x"></head></html>'))),
        Case(56, "redirect with credentials", "refused:credentials",
             lambda base: {article_url_path(56): redirect(base.replace("//", "//user:pw@") + "/a.html")}),
        Case(57, "redirect to a port browsers refuse", "refused:port",
             own(57, redirect("http://127.0.0.1:25/a.html"))),
        Case(58, "redirect hiding the host behind a backslash", "refused:offsite",
             own(58, redirect("http://evil.example\\@127.0.0.1/a.html"))),  # browsers go to evil.example
        # --- fetched, then dropped with a reason ---------------------------------------------------
        Case(60, "binary bytes as text/html", "dropped", own(60, respond(bytes(range(256)) * 40))),
        Case(61, "random bytes as text/html", "dropped", own(61, respond(random.Random(7).randbytes(20000)))),
        Case(62, "empty 200", "dropped", own(62, respond(b""))),
        Case(63, "7 MB of garble", "dropped:oversized",
             own(63, page(63, paragraphs=[GARBLE * 20] * 5000))),
    ]
    return c


CASES = _cases()

#: Links of the list pages, sitemap and feed that must be refused where they were found.
def list_refusals(base: str) -> list[tuple[str, str]]:
    port = base.rsplit(":", 1)[1]
    return [
        (f"http://localhost:{port}{article_url_path(90)}", "offsite"),
        (f"http://127.0.0.2:{port}{article_url_path(91)}", "offsite"),
        (f"http://[::1]:{port}{article_url_path(92)}", "offsite"),
        (f"http://2130706433:{port}{article_url_path(93)}", "offsite"),
        (f"http://127.0.0.1.evil.example:{port}{article_url_path(94)}", "offsite"),
        (f"http://127.0.0.1:25{article_url_path(96)}", "port"),
        (f"file:///etc{article_url_path(97)}", "file_not_named"),
        (f"ftp://127.0.0.1{article_url_path(98)}", "scheme"),
        (f"{base}/{'x' * 3000}{article_url_path(99)}", "url_too_long"),
        (f"http://[::1{article_url_path(100)}", "bad_url"),  # broke the whole list page before
        (f"http://127.0.0.1:99999{article_url_path(101)}", "bad_url"),
    ]


#: Requests refused when they were about to be made: pagination, start pages, sitemap children, feeds.
OTHER_REFUSALS = Counter({
    "offsite": 1 + 2 + 1 + 1 + 1 + 1,  # 下一页 to EVIL; list2's two <base href> links; moved list; sitemap
    #                                     entry and child; feed entry
    "file_not_named": 1 + 1 + 1,  # list2's 下一页 to file:///etc/passwd; sitemap entry and child
})


def site_routes(base: str) -> dict[str, Behaviour]:
    routes: dict[str, Behaviour] = {}
    for case in CASES:
        routes.update(case.routes(base))
    links = [case.path for case in CASES] + [url for url, _ in list_refusals(base)]
    routes["/list.html"] = respond(list_html(links, next_href=f"{EVIL}/list_2.html"))
    routes["/list2.html"] = respond(list_html([article_url_path(80), article_url_path(81)],
                                              next_href="file:///etc/passwd", head=f'<base href="{EVIL}/">'))
    routes["/moved-list.html"] = redirect(f"{EVIL}/list.html", status=301)
    routes["/robots.txt"] = respond(os.urandom(4096) + b"\nDisallow: /", content_type="text/plain")
    routes["/sitemap.xml"] = respond(
        '<?xml version="1.0"?><sitemapindex><sitemap><loc>http://evil.example/sitemap.xml</loc></sitemap>'
        "<sitemap><loc>file:///etc/sitemap.xml</loc></sitemap></sitemapindex>", content_type="text/xml")
    routes["/sitemap-pages.xml"] = respond(
        f'<?xml version="1.0"?><urlset><url><loc>{base}{article_url_path(1)}</loc></url>'
        f"<url><loc>{EVIL}{article_url_path(82)}</loc></url><url><loc>file:///etc{article_url_path(83)}</loc></url>"
        "</urlset>", content_type="text/xml")
    routes["/rss.xml"] = respond(f"<rss><channel><item><title>x</title><link>{EVIL}{article_url_path(84)}</link>"
                                 "</item></channel></rss>", content_type="application/rss+xml")
    return routes


@dataclass
class Site:
    """The crawl of the hostile site, the proxy it went through, and the site's base URL."""

    crawl: FaultCrawl
    proxy: RecordingProxy
    base: str


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with FaultServer() as server, RecordingProxy() as proxy:
        server.add(site_routes(server.base))
        args = {"start_url": f"{server.base}/list.html,{server.base}/list2.html,{server.base}/moved-list.html",
                "sitemap": f"{server.base}/sitemap.xml,{server.base}/sitemap-pages.xml",
                "feed": f"{server.base}/rss.xml"}
        crawl = run_fault_crawl("govsite", tmp_path_factory.mktemp("hostile"), proxy, args,
                                {"CONCURRENT_REQUESTS_PER_DOMAIN": "16"})
        yield Site(crawl, proxy, server.base)


def failures_in_log(log: str) -> dict[str, str]:
    """URL -> reason, from the ``Fetch failed (<reason>: <words>): <url>`` lines."""
    return {m.group(2): m.group(1) for m in re.finditer(r"Fetch failed \((\w+): [^\n]*?\): (\S+)", log)}


def test_the_crawl_ends_in_bounded_time_with_errors_reported(hostile: Site) -> None:
    crawl = hostile.crawl
    assert crawl.seconds < 90, crawl.seconds
    assert "Traceback" not in crawl.log, crawl.log[-5000:]
    # many pages of this site fail: the exit status says so (govnews.exitcodes: 4, too many errors)
    assert crawl.returncode == 4, crawl.log[-3000:]
    assert crawl.stats["govnews/exit_code"] == 4


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome == "exported"], ids=lambda c: c.name)
def test_every_good_article_is_exported_exactly_once(case: Case, hostile: Site) -> None:
    crawl, base = hostile.crawl, hostile.base
    items = [item for item in crawl.items if item["url"] == base + (case.at or case.path)]
    assert len(items) == 1, (case.name, [i["url"] for i in crawl.items])
    item = items[0]
    assert item["title"] == title_for(case.n), item["title"]
    assert "<" not in item["text"] and "</" not in (item["site_name"] or "")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", item["text"] + item["title"])
    assert item["canonical_url"].startswith("http://127.0.0.1:"), item["canonical_url"]


def test_nothing_but_the_good_articles_is_exported(hostile: Site) -> None:
    crawl, base = hostile.crawl, hostile.base
    expected = {base + (c.at or c.path) for c in CASES if c.outcome == "exported"}
    assert Counter(item["url"] for item in crawl.items) == Counter(expected)


def test_a_relative_url_meta_is_not_a_canonical_url(hostile: Site) -> None:
    crawl, base = hostile.crawl, hostile.base
    by_url = crawl.by_url()
    first, second = by_url[base + article_url_path(16)], by_url[base + article_url_path(17)]
    assert first["id"] != second["id"]
    assert "duplicate_url" not in " ".join(k for k in crawl.stats if k.startswith("govnews/dropped/"))


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome.startswith("failed:")], ids=lambda c: c.name)
def test_every_failure_is_counted_and_logged_with_its_reason(
        case: Case, hostile: Site) -> None:
    crawl, base = hostile.crawl, hostile.base
    reason = case.outcome.split(":", 1)[1]
    logged = failures_in_log(crawl.log)
    assert logged.get(base + (case.at or case.path)) == reason, {u: r for u, r in logged.items()}


def test_failure_counts_add_up(hostile: Site) -> None:
    crawl = hostile.crawl
    expected = Counter(c.outcome.split(":", 1)[1] for c in CASES if c.outcome.startswith("failed:"))
    counted = {k.rsplit("/", 1)[1]: v for k, v in crawl.stats.items() if k.startswith("govnews/fetch_failed/")}
    assert counted == dict(expected)
    assert crawl.stats["govnews/fetch_failed"] == sum(expected.values())
    assert "()" not in "".join(re.findall(r"Fetch failed[^\n]*", crawl.log))


def test_every_refusal_is_counted_by_reason(hostile: Site) -> None:
    crawl, base = hostile.crawl, hostile.base
    expected = Counter(c.outcome.split(":", 1)[1] for c in CASES if c.outcome.startswith("refused:"))
    expected.update(reason for _, reason in list_refusals(base))
    expected.update(OTHER_REFUSALS)
    counted = {k.rsplit("/", 1)[1]: v for k, v in crawl.stats.items() if k.startswith("govnews/refused/")}
    assert counted == dict(expected)


def test_drops_are_counted(hostile: Site) -> None:
    crawl = hostile.crawl
    dropped = {k.rsplit("/", 1)[1]: v for k, v in crawl.stats.items() if k.startswith("govnews/dropped/")}
    assert dropped.pop("oversized") == 1
    assert sum(dropped.values()) == sum(1 for c in CASES if c.outcome == "dropped"), dropped
    assert not {"extract_error", "clean_error"} & set(dropped)


def test_no_host_but_127_0_0_1_is_contacted(hostile: Site) -> None:
    proxy = hostile.proxy
    assert proxy.refused == []
    assert proxy.hosts() == {"127.0.0.1"}
    assert len(proxy.seen) > len(CASES)  # the proxy did see the crawl


def test_no_local_file_is_read(hostile: Site) -> None:
    crawl = hostile.crawl
    assert crawl.opened, "the audit hook recorded nothing"
    assert not [p for p in crawl.opened if p.startswith(("/etc/passwd", "/etc/t2024", "/etc/sitemap", "/dev/zero"))]


def test_retries_and_timeouts_are_bounded(hostile: Site) -> None:
    crawl = hostile.crawl
    # 500-then-200 was retried once and exported; 503 and the truncated bodies were retried (RETRY_TIMES=1)
    assert crawl.stats["retry/count"] >= 1 + 1 + 5
    assert crawl.stats.get("retry/reason_count/truncated_body", 0) >= 3
