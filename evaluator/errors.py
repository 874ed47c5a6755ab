"""The errors a user action can be refused with; each message says what is wrong and what to do."""

from __future__ import annotations


class ServiceError(ValueError):
    """A user action was refused; the message says what is wrong and what to do."""


class NotFound(ServiceError):
    """The evaluation, candidate, evaluator or criterion named does not exist."""


class StaleChange(ServiceError):
    """What the user saw is no longer what is stored: someone changed it meanwhile.

    The message names who and when ("changed by NAME at TIME: reload"); the window reloads,
    and says so instead (`reloaded`).
    """

    RELOAD = "reload to see the current value"

    def __init__(self, happened: str, remedy: str = RELOAD) -> None:
        super().__init__(f"{happened}: {remedy}" if remedy else happened)
        self.happened, self.remedy = happened, remedy

    def __reduce__(self) -> tuple[type[StaleChange], tuple[str, str]]:
        return StaleChange, (self.happened, self.remedy)  # copied and pickled whole

    def reloaded(self) -> StaleChange:
        """The same refusal, from a window that has read the current value again."""
        return StaleChange(self.happened, "the window shows the current value now")
