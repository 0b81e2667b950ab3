"""govnews.state.judge: new, unchanged, changed, exact and near reposts, short notices."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from govnews.clean.script import to_simplified
from govnews.state import StateStore
from govnews.state.judge import Judge

BODY = ("3月20日，岢岚县召开春耕生产推进会，县委副书记、县长主持会议，县直相关部门和各乡镇负责人参加。"
        "会议听取了各乡镇春耕备耕工作进展情况汇报，分析了当前农业生产面临的形势，安排部署了下一阶段重点工作。"
        "会议强调，要压实粮食安全责任，稳定粮食播种面积，抓好种子、化肥、农药等农资供应，"
        "加强农机具检修和农技服务，确保春耕生产不误农时。")


@dataclass
class Doc:
    id: str
    text: str
    title: str = "岢岚县召开春耕生产推进会"
    site: str = "klx"
    published_at: str | None = "2024-03-20"

    @property
    def canonical_url(self) -> str:
        return f"http://x/{self.id[:6]}"

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _id(n: int) -> str:
    return f"{n:040x}"


def _export(judge: Judge, doc: Doc) -> str:
    verdict = judge.judge(doc)
    judge.stage(doc, verdict, exported=True)
    judge.store.commit(judge.run, [doc.id])
    return verdict.kind


def test_new_then_unchanged_then_changed(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    assert _export(judge, Doc(_id(1), BODY)) == "new"
    assert judge.judge(Doc(_id(1), BODY)).kind == "unchanged"
    changed = judge.judge(Doc(_id(1), BODY + "会议还研究了其他事项。"))
    assert (changed.kind, changed.version, changed.previous_hash) == ("changed", 2, Doc(_id(1), BODY).content_hash)


def test_the_same_body_elsewhere_is_an_exact_repost_of_the_earliest(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    _export(judge, Doc(_id(2), BODY, published_at="2024-03-21"))
    verdict = judge.judge(Doc(_id(3), BODY, site="xinzhou"))
    assert (verdict.kind, verdict.duplicate_of, verdict.match) == ("duplicate", _id(2), "exact")


def test_a_traditional_mirror_with_page_furniture_is_a_near_repost(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    _export(judge, Doc(_id(1), BODY))
    mirror = to_simplified(BODY.replace("，", ",")).text + "\n责任编辑：王五 来源：网络"  # script already folded
    verdict = judge.judge(Doc(_id(2), mirror, site="mirror"))
    assert verdict.kind == "duplicate" and verdict.match == "near" and verdict.duplicate_of == _id(1)
    assert verdict.similarity is not None and verdict.similarity >= 0.7


def test_a_different_report_of_the_same_kind_of_meeting_is_not_a_repost(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    _export(judge, Doc(_id(1), BODY))
    other = ("3月18日，保德县召开安全生产工作会议，副县长出席会议并讲话，各乡镇和县直有关单位负责人参加。"
             "会议通报了一季度全县安全生产形势，对重点行业领域隐患排查整治工作作出安排。"
             "会议要求，要压实企业主体责任，加强矿山、危化品、道路交通等领域监管，坚决遏制各类事故发生。")
    assert judge.judge(Doc(_id(2), other, title="保德县召开安全生产工作会议")).kind == "new"


def test_short_notices_with_one_body_but_different_titles_are_different(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    notice = "各有关单位：现将有关事项通知如下，详见附件。特此通知。"
    _export(judge, Doc(_id(1), notice, title="关于做好春节期间安全工作的通知"))
    assert judge.judge(Doc(_id(2), notice, title="关于开展消防检查的通知")).kind == "new"
    repost = judge.judge(Doc(_id(3), notice, title="关于做好春节期间安全工作的通知"))
    assert (repost.kind, repost.duplicate_of) == ("duplicate", _id(1))


def test_a_fleet_decision_costs_few_round_trips(store: StateStore, store_factory: Any, monkeypatch: Any) -> None:
    """On Redis, each round trip from a crawl's thread costs a worker more than its CPU (and redis-server
    about 20 µs of its own here): the decision's claim reads what the judge needs (no look-up before it)
    and, when nothing in the store can match the article, stages it as new in the same trip; else its
    stage goes with its release. The verdicts are the same."""
    if store.kind != "redis":
        return
    import redis.connection

    sent: list[int] = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counted(self: Any, command: Any, check_health: bool = True) -> None:
        sent.append(1)
        real(self, command, check_health)

    judge = Judge(store, store.open_run("t").run)
    other = store_factory()  # another worker's view
    for warm_up in (9, 8):  # a new article, then its repost: Redis learns the scripts (one more trip each)
        judge.decide(Doc(_id(warm_up), "另一篇文章。" * 40, title="另一篇"))
    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    assert judge.decide(Doc(_id(1), BODY)).kind == "new"
    assert len(sent) == 1  # claim + reads + stage + release: nothing could match it
    assert other.get(_id(1)) is not None  # staged: every worker sees it
    store.commit(judge.run, [_id(1)])
    sent.clear()
    repost = judge.decide(Doc(_id(2), BODY))
    assert (repost.kind, repost.duplicate_of) == ("duplicate", _id(1))
    # claim + reads (the body's index entry), the rows it names, then a repost not exported is staged and
    # committed at once, inside the decision, which ends with the release: the rarer path costs 5
    assert len(sent) == 5
    near = judge.decide(Doc(_id(3), BODY.replace("会议强调", "会议要求")))
    assert (near.kind, near.duplicate_of, near.match) == ("duplicate", _id(1), "near")
    assert judge.decide(Doc(_id(1), BODY)).kind == "unchanged"
    assert other.get(_id(2)).duplicate_of == _id(1)


def _penalty(party: str, code: str, amount: str, no: str) -> str:
    return (f"当事人：{party}，统一社会信用代码：{code}。经查，当事人在其经营场所销售的商品未按规定明码标价，"
            "上述行为违反了《中华人民共和国价格法》第十三条第一款的规定。依据《明码标价和禁止价格欺诈规定》第二十一条，"
            f"决定对当事人处以如下行政处罚：一、责令改正；二、罚款人民币{amount}元。当事人应当自收到本决定书之日起十五日内"
            "缴纳罚款。当事人如对本处罚决定不服，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政"
            f"诉讼。岚市监价罚〔2024〕{no}号。")


def test_documents_of_one_template_are_not_reposts_of_each_other(store: StateStore) -> None:
    judge = Judge(store, store.open_run("t").run)
    first = _penalty("岢岚县福源超市", "92140929MA0K7H3L2X", "2000", "21")
    _export(judge, Doc(_id(1), first, title="行政处罚决定书"))
    second = judge.judge(Doc(_id(2), _penalty("岢岚县惠家便利店", "92140929MA0KB25R7Q", "1500", "22"),
                             title="行政处罚决定书"))
    assert second.kind == "new" and second.siblings == (_id(1),)
    repost = judge.judge(Doc(_id(3), "来源：岢岚县人民政府网 浏览次数：318\n" + first, site="mirror"))
    assert (repost.kind, repost.match, repost.duplicate_of) == ("duplicate", "near", _id(1))
