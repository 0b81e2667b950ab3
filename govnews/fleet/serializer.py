"""Requests as JSON for the shared queue (``SCHEDULER_SERIALIZER = "govnews.fleet.serializer"``).

scrapy-redis pickles requests by default, and unpickling runs code: anyone who could write to the
Redis could run commands on every worker. Here a queue entry is ``Request.to_dict()`` as JSON, bytes
(body, headers) base64-encoded as ``{"$b": "..."}`` and dicts with non-string keys as ``{"$d": [[k, v],
...]}``; callbacks are already names of spider methods. Decoding builds only a ``scrapy.Request`` or one
of Scrapy's own request classes, never a class an entry names. Anything else in a request (a
``Response`` in ``cb_kwargs``, a custom object in ``meta``) makes ``dumps`` raise ``TypeError``: the
scheduler then keeps that request on its worker instead (``govnews/fleet/local_requests``).
Tuples come back as lists. Fields that hold ``Request``'s defaults are left out (a queued article request
is about 130 bytes instead of 310: the frontier is most of a fleet's Redis memory).
"""

from __future__ import annotations

import base64
import json
from typing import Any

#: The only ``_class`` values an entry may name (Scrapy's own request classes).
REQUEST_CLASSES = frozenset({
    "scrapy.http.request.Request", "scrapy.http.request.form.FormRequest",
    "scrapy.http.request.json_request.JsonRequest", "scrapy.http.request.rpc.XmlRpcRequest",
})


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not {"$b", "$d"} & value.keys():
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"a {type(value).__name__} cannot be queued as JSON")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if value.keys() == {"$b"}:
            return base64.b64decode(value["$b"])
        if value.keys() == {"$d"}:
            return {_hashable(_decode(k)): _decode(v) for k, v in value["$d"]}
        return {k: _decode(v) for k, v in value.items()}
    return value


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


#: ``Request.to_dict()`` fields left out when they hold ``Request``'s own defaults.
_DEFAULTS: dict[str, Any] = {"headers": {}, "body": b"", "cookies": {}, "meta": {}, "encoding": "utf-8", "flags": [],
                             "cb_kwargs": {}, "dont_filter": False, "method": "GET", "priority": 0, "callback": None,
                             "errback": None}


def dumps(obj: dict[str, Any]) -> bytes:
    lean = {k: v for k, v in obj.items()
            if not (k in _DEFAULTS and v == _DEFAULTS[k] and type(v) is type(_DEFAULTS[k]))}
    return json.dumps(_encode(lean), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    obj = _decode(json.loads(data))
    if not isinstance(obj, dict) or not isinstance(obj.get("url"), str):
        raise ValueError("not a queued request")
    if "_class" in obj and obj["_class"] not in REQUEST_CLASSES:
        raise ValueError(f"a queued request may not name the class {obj['_class']!r}")
    return obj
