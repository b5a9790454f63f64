"""Every error journey-audit reports to a user, in one module (pypa/build's model).

Each class derives from :class:`JourneyAuditError`; its message names what went wrong
and how to fix it, so the command line and the MkDocs plugin catch the base class and
print the message, never a traceback. Errors that carry located problems
(:class:`AuditError`) print them as ``path:line:col: level: message (rule)`` lines.

>>> issubclass(DotNotFound, JourneyAuditError) and issubclass(AuditError, JourneyAuditError)
True
"""

from __future__ import annotations

from typing import Any, Iterable

import graphviz

GRAPHVIZ_INSTALL_HINT = "apt-get install graphviz"


class JourneyAuditError(Exception):
    """Base of every user-facing error; ``str(error)`` is the whole message, fix included."""


class AuditError(JourneyAuditError):
    """Audits (or a gates file) cannot be used; carries every problem found, sorted.

    ``problems``: list of :class:`~journey_audit.audit.problems.Problem` (not imported
    here: the base layer imports no layer above it).
    """

    def __init__(self, problems: Iterable[Any]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class FormatError(JourneyAuditError):
    """The formatted text would not read back as the same data (a bug: nothing is written)."""


class GitError(JourneyAuditError):
    """git could not do what was asked; the message is for the user."""


class RenderError(JourneyAuditError):
    """``dot`` failed, timed out or produced nothing; the message names the audit."""


class DotNotFound(RenderError, graphviz.ExecutableNotFound):
    """Graphviz is not installed (no ``dot`` on the PATH).

    Also a ``graphviz.ExecutableNotFound``, what the graphviz package raises in this case,
    so code written against that package catches it too.
    """

    def __init__(self) -> None:
        # Not ExecutableNotFound.__init__, which wants the command and writes its own message.
        RuntimeError.__init__(self, "Graphviz's `dot` program was not found on the PATH; the journey diagrams need it. "
                              f"Install Graphviz ({GRAPHVIZ_INSTALL_HINT}; macOS: brew install graphviz) and try again.")


class DiagramTooLarge(JourneyAuditError, ValueError):
    """The journey has more touchpoints than a diagram can show.

    ``where``: the audit's file (or id), which the message starts with; ``count``: its
    touchpoints; ``limit``: the most a diagram shows.
    """

    def __init__(self, where: str, count: int, limit: int):
        super().__init__(where, count, limit)
        self.where, self.count, self.limit = where, count, limit

    def __str__(self) -> str:
        return (f"{self.where}: {self.count} touchpoints; a journey diagram shows at most {self.limit}. "
                "Split the journey into several audits, or leave the diagrams out of the site with "
                "`diagrams: false` under `- journey-audit:` in mkdocs.yml's plugins.")


class ScopeError(JourneyAuditError, ValueError):
    """A hand-written page's ``client``/``clients`` front matter cannot be read; the message says why."""


class SiteError(JourneyAuditError, ValueError):
    """The site cannot be generated as asked (e.g. an unknown client); the message says why."""


class BuildFailed(JourneyAuditError):
    """The site was not built; the message says why and what to do."""


class VerifyError(JourneyAuditError, ValueError):
    """verify-site cannot run as asked (no such folder, unknown client); the message says why."""
