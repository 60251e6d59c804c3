"""The network map picture: drawn as the booklet describes, for 0, 1 and 40 people, labels apart."""

from __future__ import annotations

import io
import itertools
import math

import matplotlib
import pytest
from matplotlib.text import Text
from network_examples import BOOKLET_EXAMPLE, person, random_people
from PIL import Image

from mentorforms.network import picture
from mentorforms.network.people import read_people

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def text_boxes(figure) -> list[tuple[str, object]]:
    """Every visible text of ``figure`` with its box, from matplotlib's own renderer."""
    with matplotlib.rc_context(picture.STYLE):
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        return [(text.get_text(), text.get_window_extent(renderer)) for text in figure.findobj(Text)
                if text.get_visible() and text.get_text()]


GOALS = "Become an independent investigator with an R01 by 2028, and lead the fellowship research curriculum"


def all_text_boxes(rows, tall=False) -> list[tuple[str, object]]:
    """The texts of the people layer and of the background it is laid over."""
    frame = picture.frame_for(picture.layout(read_people(rows)), tall=tall)
    return text_boxes(picture.draw(rows, career_goals=GOALS, tall=tall)) + \
        text_boxes(picture.draw_background(frame))


def overlapping(boxes) -> list[tuple[str, str]]:
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]


def label_texts(rows) -> list[str]:
    return [text.get_text() for text in picture.draw(rows).findobj(Text) if text.get_zorder() == 6]


CROWDED = [person(f"Person {index:02d}", job_done="close", career="close", personal="close", level="superior",
                  organisation="inside", sponsor=True, relationship="mentor") for index in range(40)]


@pytest.mark.parametrize("tall", [False, True], ids=["wide", "tall"])
@pytest.mark.parametrize("rows", [[], BOOKLET_EXAMPLE[:1], random_people(40, seed=3), random_people(40, seed=8),
                                  CROWDED], ids=["0 people", "1 person", "40 people", "40 others", "40 in one spot"])
def test_the_picture_renders_with_no_overlapping_text(rows, tall):
    png = picture.render_png(rows, career_goals=GOALS, tall=tall)
    assert png.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(png))
    assert image.width == round((picture.TALL_WIDTH if tall else picture.FIGURE_WIDTH) * picture.DPI)
    assert (1300 if tall else 480) <= image.height <= (3000 if tall else 1000)
    boxes = all_text_boxes(rows, tall)
    assert overlapping(boxes) == []
    # Every text is whole on the picture (long career goals are shortened, not cut off).
    for text, box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= image.width and box.y1 <= image.height, text
    # Every person is labelled in every band they give help in: nobody left off.
    placed = picture.layout(read_people(rows))
    assert len(label_texts(rows)) == len(placed)
    assert not any("left off" in text for text, _ in boxes)


def test_an_empty_map_invites_people_and_draws_the_three_bands():
    texts = [text for text, _ in all_text_boxes([])]
    assert "No one on your map yet: add the people who help you." in texts
    assert f"Career goals: {GOALS}" in texts
    tall = [text for text, _ in all_text_boxes([], tall=True) if text.startswith("Career goals")]
    assert len(tall) == 1 and tall[0].endswith("…") and GOALS.startswith(tall[0][len("Career goals: "):-1])
    for band in ("Getting the job done", "Advancing your career", "Personal support"):
        assert band in texts
    assert texts.count("You") == 3


def test_layout_follows_the_booklet():
    placed = picture.layout(read_people(BOOKLET_EXAMPLE))
    by = {(item.person.name, item.kind): item for item in placed}
    # A person appears once in each band they give help in (DR: career and personal support).
    assert sorted(kind for name, kind in by if name == "DR") == ["career", "personal"]
    assert len(placed) == 3 + 4 + 3
    # Closeness is the length of the line back to the centre.
    distance = {key: math.hypot(item.x, item.y) for key, item in by.items()}
    assert distance[("NS", "job_done")] < distance[("JD", "job_done")] < distance[("CJ", "job_done")]
    assert distance[("DR", "career")] < distance[("JD", "career")] < distance[("SW", "career")]
    # Superiors above, peers level, juniors below.
    assert by[("JD", "job_done")].y > 0 and by[("SW", "career")].y > 0
    assert by[("NS", "job_done")].y < 0
    for key in (("CJ", "job_done"), ("AB", "career"), ("LG", "personal"), ("FW", "personal")):
        item = by[key]
        assert abs(math.degrees(math.atan2(item.y, abs(item.x)))) <= 24.5
    # Inside the organisation on the left, outside on the right.
    assert all(item.x < 0 for item in placed if item.person.organisation == "inside")
    assert all(item.x > 0 for item in placed if item.person.organisation == "outside")


def test_marks_sponsors_mentors_and_mentees():
    labels = label_texts(BOOKLET_EXAMPLE)
    assert "DR (mentor)" in labels and "NS (mentee)" in labels and "JD" in labels
    layer = picture.draw(BOOKLET_EXAMPLE)
    stars = [line for line in layer.findobj(matplotlib.lines.Line2D) if line.get_marker() == "*"]
    filled = [line for line in stars if line.get_markerfacecolor() == picture.STAR]
    # DR (sponsor) is starred in both of their bands; SW (very well connected) gets an open star.
    assert sum(len(line.get_xdata()) for line in filled) == 2
    assert sum(len(line.get_xdata()) for line in stars) == 3


def test_user_text_is_drawn_as_typed_never_as_mathtext():
    rows = [person("$\\alpha^2$", personal="close", level="peer"),
            person("=HYPERLINK(x)", career="moderate", level="peer")]
    png = picture.render_png(rows, career_goals="Earn $1M and $2M")
    assert png.startswith(PNG_MAGIC)
    labels = label_texts(rows)
    assert "$\\alpha^2$" in labels and "=HYPERLINK(x)" in labels
    texts = [text for text, _ in text_boxes(picture.draw(rows, career_goals="Earn $1M and $2M"))]
    assert "Career goals: Earn $1M and $2M" in texts


def test_long_names_are_shortened_on_the_picture():
    labels = label_texts([person("Professor Emerita Wilhelmina Smith", career="close", level="peer")])
    assert labels == ["Professor Eme…"]


def test_a_person_with_no_level_yet_is_drawn_level_and_asks_for_it():
    placed = picture.layout(read_people([person("Q", career="close")]))
    assert abs(placed[0].y) < 0.5
    assert label_texts([person("Q", career="close")]) == ["Q (level?)"]


def test_the_picture_changes_with_the_rows():
    one = picture.render_png(BOOKLET_EXAMPLE)
    fewer = picture.render_png(BOOKLET_EXAMPLE[:-1])
    assert one != fewer
    assert picture.render_png(list(BOOKLET_EXAMPLE)) == one  # same people, same picture
