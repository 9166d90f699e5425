"""What a route handler gets (``Call``) and gives back (``Reply``)."""

from dataclasses import dataclass, field

from .errors import StripeError
from .formdata import get_int


@dataclass
class Call:
    server: object
    params: dict
    args: tuple
    request: dict = None  # {"id": req_..., "idempotency_key": ...}


@dataclass
class Reply:
    status: int = 200
    json: object = None
    html: str = None
    location: str = None
    events: list = field(default_factory=list)


def state_of(call):
    return call.server.state


def limit_param(params):
    limit = get_int(params, "limit", minimum=1)
    if limit is not None and limit > 100:
        raise StripeError("This value must be less than or equal to 100.",
                          param="limit")
    return limit or 10
