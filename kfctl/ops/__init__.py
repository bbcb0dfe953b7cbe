"""Use cases: one function per thing a user asks kfctl to do, composing the layers below and
returning a report object (dataclass) that the CLI renders.  Nothing here prints; what a use case
shows while it runs (a confirmation prompt, a progress bar) comes in as callbacks (:class:`Hooks`)."""
