"""``python -m govnews.schema``: regenerate article.schema.json from govnews.items.Article."""

from govnews.schema import SCHEMA_PATH, render_schema

SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
print(f"wrote {SCHEMA_PATH}")
