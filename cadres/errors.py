"""The one error a service raises when a rule refuses what was asked.

Its message is for the person who asked; a view shows it (``messages.error``
or a form error) and changes nothing else. Every app's services raise this
type (or a subclass), so a view needs one ``except``.
"""


class ApplicationError(ValueError):
    """A rule refused the request; ``str(error)`` is the message to show."""


class RosterImportError(ApplicationError):
    """The roster import cannot go ahead; the message is for the HR officer."""
