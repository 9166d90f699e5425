"""Stripe's form encoding: ``line_items[0][price_data][currency]=eur``.

``parse`` turns a query string or form body into nested dicts and lists;
the small ``get_*`` helpers read typed values out of it with Stripe's
error messages.
"""

import re
from urllib.parse import parse_qsl

from .errors import StripeError, missing

_PART = re.compile(r"\[([^\[\]]*)\]")


def _split_key(key):
    head, _, rest = key.partition("[")
    if not rest:
        return [key]
    return [head] + _PART.findall("[" + rest)


def _listify(node):
    """Dicts whose keys are all indexes become lists (``a[0]``, ``a[1]``)."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(isinstance(k, str) and k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
        return node
    if isinstance(node, list):
        return [_listify(v) for v in node]
    return node


def parse(text):
    """Parse an urlencoded string into Stripe's nested parameters."""
    root = {}
    for key, value in parse_qsl(text or "", keep_blank_values=True):
        parts = _split_key(key)
        node = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            if part == "":  # ``a[]=x`` appends
                if not isinstance(node, list):
                    raise StripeError(f"Invalid array: {key}", param=key)
                if last:
                    node.append(value)
                    break
                node.append({})
                node = node[-1]
                continue
            if not isinstance(node, dict):
                raise StripeError(f"Invalid hash: {key}", param=key)
            if last:
                node[part] = value
            else:
                default = [] if following == "" else {}
                child = node.setdefault(part, default)
                if not isinstance(child, (dict, list)):
                    raise StripeError(f"Invalid hash: {key}", param=key)
                node = child
    return _listify(root)


def get_str(params, key, path=None, *, required=False, max_length=None):
    path = path or key
    value = params.get(key) if isinstance(params, dict) else None
    if value is None:
        if required:
            raise missing(path)
        return None
    if not isinstance(value, str):
        raise StripeError(f"Invalid string: {path}", param=path)
    if required and value == "":
        raise missing(path)
    if max_length is not None and len(value) > max_length:
        raise StripeError(
            f"Invalid string: {value[:20]}...; must be at most {max_length} "
            "characters", param=path, code="string_too_long")
    return value


def get_int(params, key, path=None, *, required=False, minimum=None):
    path = path or key
    raw = params.get(key) if isinstance(params, dict) else None
    if raw is None or raw == "":
        if required:
            raise missing(path)
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise StripeError(f"Invalid integer: {raw}", param=path) from None
    if minimum == 0 and value < 0:
        raise StripeError("Invalid non-negative integer", param=path)
    if minimum is not None and value < minimum:
        raise StripeError(
            f"This value must be greater than or equal to {minimum}.",
            param=path)
    return value


def get_bool(params, key, path=None):
    raw = params.get(key) if isinstance(params, dict) else None
    if raw is None or raw == "":
        return None
    if raw in ("true", "false"):
        return raw == "true"
    raise StripeError(f"Invalid boolean: {raw}", param=path or key)


def get_dict(params, key, path=None):
    value = params.get(key) if isinstance(params, dict) else None
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise StripeError(f"Invalid object: {path or key}", param=path or key)
    return value


def get_list(params, key, path=None):
    value = params.get(key) if isinstance(params, dict) else None
    if value is None or value == "":
        return []
    if isinstance(value, dict):  # sparse or non-numeric indexes
        raise StripeError(f"Invalid array: {path or key}", param=path or key)
    if not isinstance(value, list):
        value = [value]
    return value


def get_metadata(params, key="metadata", path=None):
    """Metadata like Stripe: 50 keys, key <= 40 chars, value <= 500 chars."""
    path = path or key
    raw = get_dict(params, key, path)
    metadata = {}
    for name, value in raw.items():
        if not isinstance(value, str):
            raise StripeError(f"Invalid string: {path}[{name}]",
                              param=f"{path}[{name}]")
        if len(name) > 40:
            raise StripeError(
                "Metadata keys can have up to 40 characters, but the key "
                f"'{name}' has {len(name)}.", param=f"{path}[{name}]")
        if len(value) > 500:
            raise StripeError(
                "Metadata values can have up to 500 characters, but the value "
                f"for '{name}' has {len(value)}.", param=f"{path}[{name}]")
        if value != "":  # an empty value unsets a key
            metadata[name] = value
    if len(metadata) > 50:
        raise StripeError("Metadata can have up to 50 keys.", param=path)
    return metadata


def get_expand(params):
    return [str(item) for item in get_list(params, "expand")]
