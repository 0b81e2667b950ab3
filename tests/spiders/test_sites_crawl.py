"""Every registry site crawled end to end from its offline mirror (tests/fixtures/sites/<host>/...).

Each test runs a real ``scrapy crawl <site>`` in a subprocess; ``GOVNEWS_MIRROR`` makes every request
hit the local server while the spider, ids and offsite rules see the real addresses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from govnews.sites.registry import SITES
from govnews.urls import article_id, canonical_url
from tests.support import Crawl, run_crawl, serve_directory

MIRROR_ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "sites"

#: url -> (title, published_at, source) for every article each site's mirror holds.
EXPECTED: dict[str, dict[str, tuple[str, str, str]]] = {
    "lfxww": {
        "http://www.lfxww.com/linfen/shizheng/2024031.html":
            ("我市召开优化营商环境推进会", "2024-03-12T10:59:00+08:00", "临汾日报"),
        "http://www.lfxww.com/linfen/shizheng/2024032.html":  # picture page
            ("图说：汾河公园春意浓", "2024-03-10T08:30:00+08:00", "临汾新闻网"),
        "http://www.lfxww.com/linfen/shizheng/2023121.html":  # list page 2
            ("临汾市2023年重点工程建设综述", "2023-12-28T09:00:00+08:00", "临汾日报"),
        "http://www.lfxww.com/linfen/qyxw/2024035.html":  # redesigned template: generic fallback
            ("洪洞县大槐树景区迎来踏青客流", "2024-03-08T16:20:00+08:00", "洪洞县融媒体中心"),
    },
    "xinzhou_news": {
        "http://news.xinzhou.org/html/2024/xznews_0315/90001.html":  # split over two pages (div#pages)
            ("忻州市召开全市春季植树造林动员会", "2024-03-15T09:12:00+08:00", "忻州日报"),
        "http://news.xinzhou.org/html/2024/xznews_0314/90000.html":
            ("五台山景区开展文明旅游宣传活动", "2024-03-14T15:40:00+08:00", "忻州网"),
        "http://www.xinzhou.org/html/2024/xznews_0310/89990.html":  # a 10-character headline
            ("忻州杂粮走俏京津市场", "2024-03-10T10:05:00+08:00", "忻州日报"),
    },
    "sxxz": {
        "http://www.sxxz.gov.cn/zwyw/xzyw/202407/t20240731_4196689.shtml":
            ("市委常委会召开会议 传达学习全会精神", "2024-07-31T18:20:11+08:00", "忻州日报"),
        "http://www.sxxz.gov.cn/zwyw/xzyw/202407/t20240729_4196500.shtml":  # h1 instead of h3
            ("全市防汛工作视频调度会召开", "2024-07-29T21:05:00+08:00", "忻州市应急管理局"),
        "http://www.sxxz.gov.cn/zwyw/xzyw/202407/t20240725_4196300.shtml":
            ("忻州市推进农村人居环境整治", "2024-07-25T10:00:00+08:00", "忻州市农业农村局"),
    },
    "linfen": {
        "http://www.linfen.gov.cn/contents/10905/555003.html":
            ("临汾市政府召开第十二次常务会议", "2024-06-18T17:30:00+08:00", "临汾市人民政府办公室"),
        "http://www.linfen.gov.cn/contents/10905/555002.html":
            ("临汾市部署夏粮收购工作", "2024-06-12T09:00:00+08:00", "临汾市粮食和物资储备局"),
        "http://www.linfen.gov.cn/contents/10905/555001.html":  # list page ?page=2
            ("临汾市举办城市规划展", "2024-06-03T10:15:00+08:00", "临汾市自然资源局"),
    },
    "hongtong": {
        "http://www.hongtong.gov.cn/contents/11897/666873.html":
            ("洪洞县召开招商引资工作推进会", "2024-05-20T16:00:00+08:00", "洪洞县商务局"),
        "http://www.hongtong.gov.cn/contents/11897/666872.html":
            ("洪洞县开展全民健身月活动", "2024-05-11T08:45:00+08:00", "洪洞县体育中心"),
        "http://www.hongtong.gov.cn/contents/11897/666871.html":
            ("洪洞县部署森林防火工作", "2024-05-02T11:20:00+08:00", "洪洞县林业局"),
    },
    "shanxi": {
        "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml":
            ("山西省政府召开常务会议", "2024-08-07T20:10:00+08:00", "山西日报"),
        "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240805_9900080.shtml":
            ("全省秋粮生产现场推进会召开", "2024-08-05T09:30:00+08:00", "山西省农业农村厅"),
        "http://www.shanxi.gov.cn/ywdt/sxyw/202407/t20240730_9900050.shtml":
            ("山西文旅消费季启动", "2024-07-30T11:00:00+08:00", "山西省文化和旅游厅"),
        "http://www.shanxi.gov.cn/ywdt/sxyw/202307/t20230720_9800010.shtml":
            ("山西上半年经济运行情况发布", "2023-07-20T10:00:00+08:00", "山西省统计局"),
    },
}
_COUNTY_ARTICLES = {
    "klx": [("岢岚县召开春耕生产推进会", "2024-03-20", 700, "岢岚县农业农村局"),
            ("岢岚县开展安全生产大检查", "2024-03-18", 701, "岢岚县应急管理局"),
            ("岢岚县宋长城景区修缮工程启动", "2024-02-26", 702, "岢岚县文化和旅游局")],
    "bdx": [("保德县黄河沿岸生态修复工程开工", "2024-04-02", 700, "保德县林业局"),
            ("保德县举办就业招聘会", "2024-03-28", 701, "保德县人社局"),
            ("保德县推进煤矿安全专项整治", "2024-03-21", 702, "保德县应急管理局")],
    "fsx": [("繁峙县召开乡村振兴工作会议", "2024-04-10", 700, "繁峙县乡村振兴局"),
            ("繁峙县岩山寺文物保护工作获好评", "2024-04-05", 701, "繁峙县文化和旅游局"),
            ("繁峙县开展春季森林防火演练", "2024-03-30", 702, "繁峙县林业局")],
    "scx": [("神池县月饼产业协会成立", "2024-05-08", 700, "神池县工信局"),
            ("神池县推进胡麻种植提质增效", "2024-04-22", 701, "神池县农业农村局"),
            ("神池县召开县政府常务会议", "2024-04-15", 702, "神池县人民政府办公室")],
}
for _key, _articles in _COUNTY_ARTICLES.items():
    EXPECTED[_key] = {
        f"http://{_key}.sxxz.gov.cn/{_key}zw/zwyw/xxyw/{day[:7].replace('-', '')}/t{day.replace('-', '')}_{doc}.html":
            (title, f"{day}T09:30:00+08:00", source)
        for title, day, doc, source in _articles
    }


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    with serve_directory(MIRROR_ROOT) as base:
        yield base


def crawl_site(spider: str, mirror: str, tmp_path: Path, **args: str) -> Crawl:
    settings = {"GOVNEWS_MIRROR": mirror, "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                "ROBOTSTXT_OBEY": "False"}
    result = run_crawl(spider, tmp_path, args=args, settings=settings, timeout=120)
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture(scope="module")
def site_crawl(mirror: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Crawl]:
    """One plain crawl per site, all run at once (each is its own process): several tests read one run."""
    with ThreadPoolExecutor(max_workers=5) as pool:
        futures = {key: pool.submit(crawl_site, key, mirror, tmp_path_factory.mktemp(key)) for key in SITES}
    done = {key: future.result() for key, future in futures.items()}
    return done.__getitem__


def test_every_registry_site_has_expectations() -> None:
    assert set(EXPECTED) == set(SITES)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_site_crawl_finds_every_article_with_its_fields(key: str, site_crawl: Callable[[str], Crawl]) -> None:
    result = site_crawl(key)
    site = SITES[key]
    by_url = result.by_url()
    assert set(by_url) == set(EXPECTED[key])
    for url, (title, published_at, source) in EXPECTED[key].items():
        item = by_url[url]
        assert (item["title"], item["published_at"], item["source"]) == (title, published_at, source), url
        assert item["site"] == key and item["site_name"] == site.name
        assert item["region"] == dataclasses.asdict(site.region)
        assert item["id"] == article_id(canonical_url(url, site.aliases))
        assert len(item["text"]) >= 20
    stats = result.stats
    assert stats[f"govnews/articles/{key}"] == len(EXPECTED[key])
    assert stats[f"govnews/list_pages/{key}"] >= 1
    assert stats[f"govnews/list_links/{key}"] >= len(EXPECTED[key])
    assert f"govnews/list_empty/{key}" not in stats
    assert "List page http" in result.log and "article links" in result.log
    fallbacks = {k.rsplit("/", 1)[1] for k in stats if k.startswith(f"govnews/fallback/{key}/")}
    assert fallbacks == EXPECTED_FALLBACKS.get(key, set())  # every other selector matches its template


#: The one page whose template "changed": its site selectors find nothing, the generic extractor reads it.
EXPECTED_FALLBACKS = {"lfxww": {"title", "published_at", "body"}}


def test_split_article_is_read_to_its_last_page(site_crawl: Callable[[str], Crawl]) -> None:
    result = site_crawl("xinzhou_news")
    text = result.by_url()["http://news.xinzhou.org/html/2024/xznews_0315/90001.html"]["text"]
    assert text.index("全市春季植树造林动员会召开") < text.index("把植树造林任务分解到山头地块")  # page 2
    assert result.stats["govnews/continuation_pages/xinzhou_news"] == 1


def test_twins_and_variants_are_fetched_once_and_share_one_id(site_crawl: Callable[[str], Crawl]) -> None:
    # page 1 lists the first article three times: as itself, as its _slb twin, over https with ?from=
    result = site_crawl("shanxi")
    ids = [item["id"] for item in result.items]
    assert len(ids) == len(set(ids)) == 4
    assert not any("_slb" in item["url"] or item["url"].startswith("https") for item in result.items)
    assert result.stats["govnews/duplicate_links/shanxi"] == 1
    assert result.stats["downloader/request_count"] == 3 + 4  # list pages + articles: no twin fetched


def test_old_domain_link_is_the_same_article(site_crawl: Callable[[str], Crawl]) -> None:
    # klx's list links one article twice: on the platform and on the old www.kelan.gov.cn domain
    result = site_crawl("klx")
    assert not any("kelan" in item["url"] for item in result.items)
    assert result.stats["govnews/list_links/klx"] == 3  # the old-domain link folded into its twin
    assert result.stats["downloader/request_count"] == 2 + 3


def test_offsite_reposts_are_never_fetched(site_crawl: Callable[[str], Crawl]) -> None:
    # lfxww's list links a content farm that keeps the original path; the mirror holds that page too
    result = site_crawl("lfxww")
    assert all(item["url"].startswith("http://www.lfxww.com/") for item in result.items)
    assert result.stats["downloader/request_count"] == 3 + 4

