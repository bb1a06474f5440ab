"""What a non-admin user's job may touch beyond its own text: sources and deliveries.

A job reads a ``source`` (a path, a mailbox, an IMAP folder) with the server's
credentials, so a user may only name sources an admin has shared with them::

    [sources."imap://ann@mail.example.com"]
    owners = ["ann"]            # or ["*"] for everybody

Where a digest is delivered (``deliver``: a folder, an SMTP server) is an admin's choice.
Admins and the system (jobs with no owner: the CLI, schedules without one) may do both.
The bridge checks at submit (a clear 422) and the worker again before running, so a
schedule that runs as its owner reads only that owner's sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from connectors.errors import UsageError
from plugin.config import Settings


class Principal(Protocol):
    """Who a job runs for: a stored user, or the bridge's authenticated caller."""

    @property
    def name(self) -> str: ...
    @property
    def admin(self) -> bool: ...


def check_job_access(s: Settings, input_: Mapping[str, Any], options: Mapping[str, Any],
                     user: Principal | None, *, at_submit: bool = True) -> None:  # fmt: skip
    """Raise ``UsageError`` when ``user`` may not run a job with this input and options.
    At run time (``at_submit=False``) only the source is checked again: the delivery of a
    scheduled digest was chosen by the admin who made the schedule."""
    if user is None or user.admin:
        return
    source = input_.get("source") or options.get("source")
    if source is not None:
        text = str(source)
        shared = _shared_with(s.source_options(text).get("owners"), user.name)
        # ".." could leave the shared prefix ("/srv/mail/ann/../bob").
        if not shared or ".." in text.replace("\\", "/").split("/"):
            raise UsageError(
                f"source {text!r} is not shared with user {user.name!r}",
                item=text,
                hint='an admin shares it with owners = ["NAME"] in its [sources."PREFIX"]',
            )
    # "owner_admin" is the runner's to set (``DraftKind.runs_as_owner``), never a caller's.
    if at_submit and (options.get("deliver") or "owner" in options or "owner_admin" in options):
        raise UsageError(
            "only admins choose where a digest is delivered",
            hint="ask an admin for a digest schedule (`deskdraft digest schedule add --owner`)",
        )
    # A schedule's id and period name a stored digest: whoever names them gets it back.
    if at_submit and ("schedule_id" in options or "period" in options):
        raise UsageError(
            "only admins and the scheduler name a digest schedule or period",
            hint="leave out schedule_id and period: an ad-hoc digest needs neither",
        )


def _shared_with(owners: Any, name: str) -> bool:
    return isinstance(owners, list) and bool({name, "*"} & {str(o) for o in owners})


def shared_sources(s: Settings, user_name: str | None) -> list[str]:
    """The ``[sources."PREFIX"]`` prefixes ``user_name`` may read (every one for ``None``:
    an admin or the system), in the configuration's order."""
    return [
        prefix
        for prefix, table in s.sources.items()
        if user_name is None or _shared_with(table.get("owners"), user_name)
    ]
