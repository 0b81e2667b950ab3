"""The bundled sample site (``site/``) and its offline demo runner (``python -m govnews.demo``)."""

from __future__ import annotations

import hashlib
import tempfile
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def site_dir() -> Path:
    """The sample site as a real folder. Installed normally it is the package's own ``site/``; inside a
    zipped egg (a Scrapyd deployment) it is extracted once to a temporary folder, since file:// URLs
    cannot point into a zip."""
    root = resources.files(__name__) / "site"
    if isinstance(root, Path) and root.is_dir():
        return root.resolve()
    files = sorted(_walk(root))
    digest = hashlib.sha1(b"".join(name.encode() + data for name, data in files)).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"govnews-demo-site-{digest}"
    if not (target / "index.html").exists():
        for name, data in files:
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return target


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    found = []
    for child in node.iterdir():
        name = f"{prefix}{child.name}"
        if child.is_dir():
            found += _walk(child, name + "/")
        else:
            found.append((name, child.read_bytes()))
    return found
