"""An identifying User-Agent that carries a contact, as polite crawlers do."""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler


class ContactUserAgentMiddleware:
    """Sets ``USER_AGENT (+GOVNEWS_CONTACT)`` on every request that has no User-Agent yet."""

    def __init__(self, user_agent: str, contact: str) -> None:
        self.user_agent = f"{user_agent} (+{contact})" if contact else user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        return cls(settings.get("USER_AGENT", ""), settings.get("GOVNEWS_CONTACT", ""))

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        if self.user_agent:
            request.headers.setdefault(b"User-Agent", self.user_agent)
        return None
