"""haixi.memo: results cached by an object's identity, dropped with the object; the chart as
render_st sends it."""

from __future__ import annotations

import gc

import plotly.graph_objects as go
import plotly.io
import plotly.tools

from haixi import memo


class Box:
    """A weakly referenceable stand-in for a view (fictitious)."""

    def __init__(self, value: str) -> None:
        self.value = value


def test_a_result_is_computed_once_per_live_object_and_arguments():
    calls = []

    @memo.by_identity
    def shout(box: Box, times: int) -> str:
        calls.append(times)
        return box.value.upper() * times

    box = Box("a")
    assert shout(box, 2) == "AA" and shout(box, 2) == "AA"
    assert shout(box, 3) == "AAA"
    assert calls == [2, 3]
    twin = Box("a")  # equal by value, another object: computed anew
    assert shout(twin, 2) == "AA"
    assert calls == [2, 3, 2]


def test_an_entry_goes_with_its_object():
    @memo.by_identity
    def length(box: Box) -> int:
        return len(box.value)

    box = Box("abc")
    gc.collect()  # entries of objects other tests left for the collector go first
    before = memo.size()
    assert length(box) == 3
    assert memo.size() == before + 1
    del box
    gc.collect()
    assert memo.size() == before


def test_an_object_without_weak_references_is_computed_every_time():
    calls = []

    @memo.by_identity
    def first(items: tuple) -> object:
        calls.append(1)
        return items[0]

    items = ("x", "y")
    assert first(items) == "x" and first(items) == "x"
    assert len(calls) == 2


def test_the_sent_chart_is_the_views_figure_as_streamlit_serialises_it():
    from haixi.render_st import _sent_figure

    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": "t"}})
    sent = _sent_figure(figure)
    assert _sent_figure(figure) is sent
    as_sent = plotly.tools.return_figure_from_figure_or_data(sent, validate_figure=True)
    as_is = plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
    assert plotly.io.to_json(as_sent, validate=False) == plotly.io.to_json(as_is, validate=False)


def test_by_value_answers_repeats_by_the_arguments_after_the_skipped_ones():
    calls = []

    @memo.by_value(2, skip=1)
    def view(base: Box, token: str, lang: str) -> str:
        calls.append((base.value, token, lang))
        return f"{base.value}-{token}-{lang}"

    first, other = Box("a"), Box("b")
    assert view(first, "t1", "en") == "a-t1-en"
    # another base with the same token is the same version: answered from the first call,
    # as Streamlit's cache does when it leaves a _-prefixed argument out of its key
    assert view(other, "t1", "en") == "a-t1-en"
    assert view(first, "t1", "zh") == "a-t1-zh"
    assert calls == [("a", "t1", "en"), ("a", "t1", "zh")]


def test_by_value_keeps_only_the_most_recent_entries():
    calls = []

    @memo.by_value(2)
    def double(n: int) -> int:
        calls.append(n)
        return 2 * n

    for n in (1, 2, 1, 3):  # 1 was used after 2, so 2 is the one dropped for 3
        double(n)
    assert double(1) == 2 and double(3) == 6
    assert calls == [1, 2, 3]
    assert double(2) == 4
    assert calls == [1, 2, 3, 2]
