"""Errors in Stripe's own shape: ``{"error": {"type", "message", "param", "code"}}``.

The official SDK picks its exception class from the HTTP status and the
``type`` field, so keeping both faithful makes ``stripe.InvalidRequestError``,
``stripe.AuthenticationError`` and ``stripe.IdempotencyError`` come out right.
"""

DOCS = "https://stripe.com/docs/error-codes"


class StripeError(Exception):
    """A request Stripe would refuse; ``body()`` is what goes over the wire."""

    def __init__(self, message, *, status=400, type="invalid_request_error",
                 param=None, code=None, extra=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type
        self.param = param
        self.code = code
        self.extra = extra or {}

    def body(self, request_id=None):
        error = {"message": self.message, "type": self.type}
        if self.param is not None:
            error["param"] = self.param
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}#{self.code.replace('_', '-')}"
        if request_id:
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}")
        error.update(self.extra)
        return {"error": error}


def missing(param):
    return StripeError(f"Missing required param: {param}.", param=param,
                       code="parameter_missing")


def invalid(param, message, code="parameter_invalid_empty"):
    return StripeError(message, param=param, code=code)


def no_such(kind, object_id, param="id", status=404):
    return StripeError(f"No such {kind}: '{object_id}'", param=param,
                       code="resource_missing", status=status)


def unknown_param(param):
    return StripeError(f"Received unknown parameter: {param}", param=param,
                       code="parameter_unknown")
