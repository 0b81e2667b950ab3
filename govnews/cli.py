"""The ``govnews`` command: tools over datasets a crawl wrote (crawling itself is ``scrapy crawl``).

    govnews report data/klx/*.jsonl [--html report.html] [--json report.json]
    govnews card data/klx/*.jsonl [-o data/klx/README.md] [--name NAME] [--force]
    govnews features            # the datasets.Features of a line, as YAML
    govnews fleet seed klx lfxww | --all | --from sites.txt     # queue sites for a fleet of workers
    govnews fleet status [--json] [--watch 10]                  # the fleet's progress
    govnews fleet reset --yes [--force]                         # forget frontier, fingerprints, seeds, stats

``fleet`` talks to ``--redis`` (default: ``$REDIS_URL``, else redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def _files(parser: argparse.ArgumentParser, names: list[str]) -> list[Path]:
    files = [Path(n) for n in names]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    return files


def cmd_report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from govnews.report.dataset import dataset_report, render_report
    from govnews.report.html import render_html

    report = dataset_report(_files(parser, args.files))
    print(render_report(report))
    html_path = Path(args.html or "report.html")
    html_path.write_text(render_html(report), encoding="utf-8")
    print(f"html: {html_path}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"json: {args.json}")
    return 0


def cmd_card(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from govnews.dataset import dataset_card
    except ImportError:  # pragma: no cover - depends on the installation
        parser.error("needs the dataset extra: pip install 'govnews[dataset]'")
    from govnews.dataset import CARD_MARK

    files = _files(parser, args.files)
    target = Path(args.output or files[0].parent / "README.md")
    if target.exists() and not args.force and CARD_MARK not in target.read_text(encoding="utf-8", errors="replace"):
        # e.g. `govnews card out.jsonl` in a checkout, beside the project's own README.md
        print(f"govnews card: error: {target} exists and is not a card govnews wrote; give another file with -o, "
              "or --force to replace it", file=sys.stderr)
        return 2
    target.write_text(dataset_card(list(files), args.name), encoding="utf-8")
    print(f"card: {target}")
    return 0


def cmd_features(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import yaml
    from datasets import DatasetInfo

    from govnews.dataset import features

    print(yaml.safe_dump(DatasetInfo(features=features())._to_yaml_dict()["features"], allow_unicode=True,
                         sort_keys=False), end="")
    return 0


def cmd_fleet(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from govnews.fleet.connection import Keys, check_reachable, client, prefix, redacted, redis_url
    except ImportError as exc:  # pragma: no cover - depends on the installation
        parser.error(f"needs the redis extra: pip install 'govnews[redis]' ({exc})")
    settings = {"REDIS_URL": args.redis or "", "GOVNEWS_REDIS_PREFIX": args.prefix or ""}
    keys = Keys(prefix(settings), args.spider)
    url = redis_url(settings)
    problem = check_reachable(url)
    if problem:  # one line, exit 2 (a setting to fix), never the password
        print(f"error: REDIS_URL={redacted(url)}: {problem}", file=sys.stderr)
        return 2
    import redis as redis_py

    try:
        return _fleet_action(args, parser, client(url), keys)
    except (redis_py.ConnectionError, redis_py.TimeoutError) as exc:  # Redis went away meanwhile
        print(f"error: lost Redis at {redacted(url)}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1


def _fleet_action(args: argparse.Namespace, parser: argparse.ArgumentParser, redis: Any, keys: Any) -> int:
    from govnews.fleet import control

    if args.action == "seed":
        sites = list(args.sites)
        if args.from_file:
            sites += [line.split("#", 1)[0].strip() for line in Path(args.from_file).read_text("utf-8").splitlines()]
        if args.all:
            from govnews.sites.registry import SITES

            sites += list(SITES)
        sites = list(dict.fromkeys(s for s in sites if s))
        if not sites:
            parser.error("name the sites to seed (registry keys), or --all, or --from FILE")
        try:
            count = control.seed(redis, keys, sites)
        except ValueError as exc:
            parser.error(str(exc))
        print(f"seeded {count} site(s) into {keys.start_urls}: {' '.join(sites)}")
        return 0
    if args.action == "reset":
        if not args.yes:
            parser.error("reset forgets the frontier, fingerprints, seeds and stats of the fleet: add --yes")
        live = control.live_workers(redis, keys)
        if live and not args.force:
            # Their round would lose its queue, fingerprints and in-flight requests while they drain it.
            print(f"govnews fleet reset: {len(live)} worker(s) of {keys.prefix}:{keys.spider} are alive (heartbeat "
                  f"keys); stop them first, or add --force to wipe the running round", file=sys.stderr)
            return 2
        print(f"deleted {control.reset(redis, keys)} key(s) of {keys.prefix}:{keys.spider}")
        return 0
    while True:
        report = control.status(redis, keys)
        print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else control.render_status(report))
        if not args.watch:
            return 0
        time.sleep(args.watch)
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govnews", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="summarize JSONL files (and their crawl summaries); write HTML")
    report.add_argument("files", nargs="+", metavar="FILE.jsonl")
    report.add_argument("--html", help="HTML page to write (default: report.html)")
    report.add_argument("--json", help="also write the report as JSON")
    card = sub.add_parser("card", help="write a dataset card (README.md with features) for JSONL files")
    card.add_argument("files", nargs="+", metavar="FILE.jsonl")
    card.add_argument("-o", "--output", help="default: README.md beside the first file (the name datasets.load_dataset "
                      "reads); a file govnews did not write is never replaced without --force")
    card.add_argument("--force", action="store_true", help="replace the output even if it is not a card govnews wrote")
    card.add_argument("--name", default="govnews", help="dataset name in the card")
    sub.add_parser("features", help="print the datasets.Features of an exported line")
    fleet = sub.add_parser("fleet", help="seed and watch a distributed crawl on Redis")
    fleet.add_argument("action", choices=["seed", "status", "reset"])
    fleet.add_argument("sites", nargs="*", metavar="SITE", help="registry keys to seed (see scrapy list)")
    fleet.add_argument("--all", action="store_true", help="seed every site of the registry")
    fleet.add_argument("--from", dest="from_file", metavar="FILE", help="seed the sites listed in FILE, one a line")
    fleet.add_argument("--redis", help="Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379/0)")
    fleet.add_argument("--prefix", help="key prefix (default: $GOVNEWS_REDIS_PREFIX, else govnews)")
    fleet.add_argument("--spider", default="fleet", help="the spider the fleet runs (default: fleet)")
    fleet.add_argument("--json", action="store_true", help="status as JSON")
    fleet.add_argument("--watch", type=float, default=0, metavar="SECONDS", help="print the status every SECONDS")
    fleet.add_argument("--yes", action="store_true", help="confirm reset")
    fleet.add_argument("--force", action="store_true", help="reset even while workers are alive (their round is lost)")
    args = parser.parse_args(argv)
    handler = {"report": cmd_report, "card": cmd_card, "features": cmd_features, "fleet": cmd_fleet}[args.command]
    return handler(args, parser)


if __name__ == "__main__":
    sys.exit(main())
