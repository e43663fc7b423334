"""Typed domain exceptions. Adapters translate AWS errors into these; the API maps them to HTTP once."""


class HeardError(Exception):
    """Base class for expected, user-facing failures."""


class NotFound(HeardError):
    pass


class Conflict(HeardError):
    """The request is valid but the resource is not in a state that allows it."""


class ChangedMeanwhile(Conflict):
    """The case was written by someone else between this request's read and its write (optimistic lock)."""


class Forbidden(HeardError):
    pass


class InvalidInput(HeardError):
    pass


class SignatureInvalid(HeardError):
    """A webhook delivery's signature is missing or wrong."""


class PayloadInvalid(HeardError):
    """A webhook delivery's body cannot be parsed."""


class PayloadTooLarge(HeardError):
    pass


class ConfigurationError(HeardError):
    """A required setting or secret is missing or invalid."""


class Unavailable(HeardError):
    """A dependency failed for now (e.g. a queue): nothing was lost, the caller may try again."""


class WindowClosed(HeardError):
    """The platform would refuse this reply: its messaging window has closed."""


class RateLimited(HeardError):
    """The platform asked us to slow down; retry later, never drop."""

    def __init__(self, message: str, retry_after_seconds: int = 60):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class PlatformError(HeardError):
    """The platform rejected a request for a reason retrying will not fix."""
