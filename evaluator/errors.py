"""The errors a user action can be refused with; each message says what is wrong and what to do."""

from __future__ import annotations


class ServiceError(ValueError):
    """A user action was refused; the message says what is wrong and what to do."""


class NotFound(ServiceError):
    """The evaluation, candidate, evaluator or criterion named does not exist."""


class StaleChange(ServiceError):
    """What the user saw is no longer what is stored: someone changed it meanwhile.

    The message names who and when ("changed by NAME at TIME: reload"); the window reloads.
    """
