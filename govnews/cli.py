"""The ``govnews`` command: tools over datasets a crawl wrote (crawling itself is ``scrapy crawl``).

    govnews report data/klx/*.jsonl [--html report.html] [--json report.json]
    govnews card data/klx/*.jsonl [-o data/klx/README.md] [--name NAME]
    govnews features            # the datasets.Features of a line, as YAML
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


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
    files = _files(parser, args.files)
    target = Path(args.output or files[0].parent / "README.md")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govnews", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="summarize JSONL files (and their crawl summaries); write HTML")
    report.add_argument("files", nargs="+", metavar="FILE.jsonl")
    report.add_argument("--html", help="HTML page to write (default: report.html)")
    report.add_argument("--json", help="also write the report as JSON")
    card = sub.add_parser("card", help="write a dataset card (README.md with features) for JSONL files")
    card.add_argument("files", nargs="+", metavar="FILE.jsonl")
    card.add_argument("-o", "--output", help="default: README.md beside the first file")
    card.add_argument("--name", default="govnews", help="dataset name in the card")
    sub.add_parser("features", help="print the datasets.Features of an exported line")
    args = parser.parse_args(argv)
    handler = {"report": cmd_report, "card": cmd_card, "features": cmd_features}[args.command]
    return handler(args, parser)


if __name__ == "__main__":
    sys.exit(main())
