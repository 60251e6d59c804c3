"""The printed side of the workbook's Form sheet: each signature's line (who, when, what it
means, as 21 CFR 11.50 asks) and the page setup."""

from __future__ import annotations

import datetime as dt

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms import messages
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record, Signature


def signature_line(form: Form, field_id: str, signed: Signature | None) -> str:
    """Printed name, date and time (UTC) and meaning of a signature, as 21 CFR 11.50 asks; for
    one not given yet, what it will mean."""
    meaning = form.signing(field_id).meaning if field_id in form.signers else ""
    if signed is not None and signed.signed_at is not None:
        when = signed.signed_at.astimezone(dt.UTC)
        who = f"{signed.name} ({signed.signer_id})" if signed.signer_id else signed.name
        return messages.say(messages.SIGNATURE_SIGNED, who=who, day=f"{when:%Y-%m-%d}", time=f"{when:%H:%M}",
                            meaning=signed.meaning or meaning)
    if signed is not None and signed.name:
        return messages.say(messages.SIGNATURE_TYPED, meaning=meaning)
    return messages.say(messages.SIGNATURE_MEANS, meaning=meaning)


def _header_text(text: str) -> str:
    """Text for a print header or footer: '&' starts a code there, so it is doubled."""
    return text.replace("&", "&&")[:80]


def print_setup(sheet: Worksheet, form: Form, record: Record, person_name: str, last: int) -> None:
    """Letter paper, one page wide, the form's title in the header and whose, which year and
    which version in the footer."""
    sheet.page_setup.orientation = "landscape" if last > 6 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:{get_column_letter(last)}{sheet.max_row}"
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    who = person_name or record.person_id or "(name)"
    sheet.oddHeader.center.text = _header_text(form.title)
    sheet.oddFooter.left.text = _header_text(f"{who} · {form.academic_year.label}")
    sheet.oddFooter.center.text = "Page &P of &N"
    sheet.oddFooter.right.text = _header_text(
        f"{record.status.value} {record.saved_at.astimezone(dt.UTC):%Y-%m-%d}")
