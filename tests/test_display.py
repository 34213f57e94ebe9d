"""What people see of an answer: citation numbers in order of first use, locations, terminal-safe text."""

from __future__ import annotations

from assistant.display import MARKER, location_label, marker_numbers, renumber, section_path, terminal_safe
from assistant.models import Answer, Citation


def _cite(n: int, lines=(3, 4), page=None) -> Citation:
    return Citation(n, "004.txt", "规划", f"规划 > 第{n}节", list(lines), f"原文{n}", page=page)


def test_citations_are_renumbered_one_to_n_in_order_of_first_use() -> None:
    answer = Answer("q", "q", "甲[5]。乙[1]，丙[1]。丁[5,2]。", "extractive", False, [_cite(1), _cite(2), _cite(5)])

    shown = renumber(answer)

    assert shown.answer == "甲[1]。乙[2]，丙[2]。丁[1,3]。"
    assert [(c.n, c.quote) for c in shown.citations] == [(1, "原文5"), (2, "原文1"), (3, "原文2")]
    assert answer.answer == "甲[5]。乙[1]，丙[1]。丁[5,2]。"  # the core's answer (and --json) is unchanged


def test_every_marker_form_is_found() -> None:
    found = [marker_numbers(m.group(1)) for m in MARKER.finditer("a[1] b[1,2] c[3，4] d[5、6] e[7][8]")]
    assert found == [[1], [1, 2], [3, 4], [5, 6], [7], [8]]


def test_location_reads_page_and_lines_and_prefers_a_location_of_its_own() -> None:
    assert location_label(_cite(1, lines=(146, 148))) == "第146–148行"
    assert location_label(_cite(1, lines=(7, 7), page=3)) == "第3页 第7行"

    class WithLocation:
        location = "第12段"

    assert location_label(WithLocation()) == "第12段"


def test_section_path_starts_with_the_title_once() -> None:
    assert section_path(_cite(2)) == "规划 › 第2节"
    assert section_path(Citation(1, "a.txt", "规划", "第一章 > 第一节", [1, 1], "")) == "规划 › 第一章 › 第一节"


def test_terminal_control_sequences_are_removed_and_text_kept() -> None:
    name = "evil\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m\r规划\x9b1m.txt"
    assert terminal_safe(name) == "evilred规划.txt"
    assert terminal_safe("第一行\n\t[/bold] [link=http://x]y[/link]") == "第一行\n\t[/bold] [link=http://x]y[/link]"
