"""What a form page gives beside its inputs: the workbook download, the print view, a form's
extras panel (moved from test_ui_form_page.py)."""

from __future__ import annotations

import base64
import re

from test_ui_form_page import fresh_person, open_page
from ui_answers import newest_year

from mentorforms.ui import form_layout
from mentorforms.workbooks import form_extras
from mentorforms.workbooks.workbook import read_record


def test_download_link_holds_the_saved_workbook(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    assert page.layout.download.value == ""
    page.enter({"challenges": "=HYPERLINK(\"http://evil.example\",\"click\")"})
    stored = page.save_draft()
    assert page.layout.download.value == ""  # the workbook reaches the browser only once its download is recorded
    assert page.offer_download() == stored.path.read_bytes()
    match = re.search(r'href="data:[^;]+;base64,([^"]+)"', page.layout.download.value)
    content = base64.b64decode(match.group(1))
    assert content == stored.path.read_bytes()
    assert read_record(content).values["challenges"] == "=HYPERLINK(\"http://evil.example\",\"click\")"
    name = f"conference_part1_{newest_year(demo_dir).label}_{person.person_id}_v0001.xlsx"
    assert f'download="{name}"' in page.layout.download.value


def test_a_download_asked_for_before_any_version_says_there_is_nothing_to_download(demo_dir):
    from mentorforms.records import audit

    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    assert page.layout.download_button.layout.display == "none"  # not offered: the click is crafted
    before = len(list(audit.entries(demo_dir)))
    page.layout.download_button.click()
    assert page.result_text == "There is no saved version of this form to download yet."
    assert page.layout.download.value == "" and len(list(audit.entries(demo_dir))) == before


def test_print_view_shows_the_answers_escaped(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"challenges": "<script>alert(1)</script> & more", "hours_courses": 12.0})
    html_page = page.print_html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html_page and "<script>alert" not in html_page
    assert "12 hours" in html_page and person.name in html_page
    page.layout.print_button.value = True
    assert 'class="mf-print-frame"' in page.printing.widget.value and page.printing.widget.layout.display == ""


# --------------------------------------------------------------------------- extras panel


def test_the_forms_extras_panel_is_shown_and_refreshed_on_every_change(demo_dir, monkeypatch):
    import ipywidgets as widgets

    seen = []

    class Panel(widgets.VBox):
        def __init__(self, getter):
            super().__init__()
            self.getter = getter

        def refresh(self):
            seen.append(self.getter().get("career_goals"))

    monkeypatch.setattr(form_layout, "extras_for",
                        lambda form_id: form_extras.FormExtras(panel=Panel) if form_id == "network_map"
                        else form_extras.FormExtras())
    person = fresh_person(demo_dir, "network_map")
    page = open_page(demo_dir, person.person_id, "network_map")
    assert isinstance(page.layout.side.children[0], Panel)
    page.enter({"career_goals": "PI of a lab"})
    assert seen[-1] == "PI of a lab"
