"""State changes per feature. Services take plain arguments, flush, and never commit: the caller
(a view or a CLI command) commits once, so a failure rolls the whole operation back."""


class DomainError(ValueError):
    """An operation the domain refuses; the message is shown to the user as it is."""
