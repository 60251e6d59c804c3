"""The mail server a page sends reminders through: set where the server starts, never by the page.

``mentorforms serve --smtp HOST:PORT --mail-from ADDRESS`` (or the same in the environment the
server is started with: ``MENTORFORMS_SMTP``, ``MENTORFORMS_MAIL_FROM``; ``MENTORFORMS_BASE_URL``
for the address the links in the messages use) puts them in every page kernel's environment.
A page reads them from its kernel's environment only; the query string and the widgets have no
say in where mail goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mentorforms import messages
from mentorforms.errors import MentorformsError
from mentorforms.reminders.mail import DEFAULT_BASE_URL, DEFAULT_SENDER

ENV_SMTP = "MENTORFORMS_SMTP"
ENV_MAIL_FROM = "MENTORFORMS_MAIL_FROM"
ENV_BASE_URL = "MENTORFORMS_BASE_URL"


class BadMailSetting(MentorformsError, ValueError):
    """A mail setting cannot be used; names the setting and the value."""


@dataclass(frozen=True)
class MailSettings:
    """Where reminders go out (``host:port``), their From address and the links' base address."""

    host: str
    port: int
    sender: str = DEFAULT_SENDER
    base_url: str = DEFAULT_BASE_URL

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def parse_smtp(text: str) -> tuple[str, int]:
    """``"mail.example.org:25"`` as ``("mail.example.org", 25)`` (brackets around an IPv6 host are
    dropped); BadMailSetting for anything else."""
    host, _, port = text.strip().rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadMailSetting(messages.say(messages.REMINDER_BAD_SMTP, text=text))
    return host.strip("[]"), int(port)


def from_environment(environ: Mapping[str, str]) -> MailSettings | None:
    """The settings the server was started with, or None when no mail server is set.
    BadMailSetting if ``MENTORFORMS_SMTP`` is set but is not HOST:PORT."""
    smtp = (environ.get(ENV_SMTP) or "").strip()
    if not smtp:
        return None
    host, port = parse_smtp(smtp)
    return MailSettings(host, port, (environ.get(ENV_MAIL_FROM) or "").strip() or DEFAULT_SENDER,
                        (environ.get(ENV_BASE_URL) or "").strip() or DEFAULT_BASE_URL)
