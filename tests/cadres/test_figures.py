"""Figures for people are grouped on purpose; numbers for machines never are."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cadres.figures import figure, percent


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1_500_000, "1.500.000"),
        (1234, "1.234"),
        (999, "999"),
        (0, "0"),
        (-1234, "-1.234"),
        (Decimal("1500.5"), "1.500,5"),
        (12.0, "12"),
        (None, "—"),
    ],
)
def test_figure_groups_thousands_the_vietnamese_way(value, shown):
    assert figure(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(87.5, "87,5%"), (Decimal("100"), "100,0%"), (33.333, "33,3%"), (0, "0,0%"), (None, "—")],
)
def test_percent_has_a_decimal_comma(value, shown):
    assert percent(value) == shown


def test_figure_follows_the_language_of_the_page():
    with translation.override("en"):
        assert figure(1_500_000) == "1,500,000"


def test_template_prints_a_figure_grouped_and_a_machine_number_raw():
    template = Template(
        '{% load figures %}<a href="/x/{{ n }}/" data-n="{{ n }}">'
        "{{ n|figure }} · {{ p|percent }}</a>"
    )

    html = template.render(Context({"n": 1_500_000, "p": 87.5}))

    assert html == '<a href="/x/1500000/" data-n="1500000">1.500.000 · 87,5%</a>'


def test_thousand_separator_is_off_so_templates_print_numbers_raw(settings):
    assert settings.USE_THOUSAND_SEPARATOR is False
