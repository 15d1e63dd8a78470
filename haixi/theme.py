"""One colour-blind-safe look for every chart (Okabe-Ito palette, CJK-capable fonts)."""

from __future__ import annotations

import plotly.graph_objects as go

from haixi.schema import Stage

# Okabe & Ito (2008), "Color Universal Design", hue by hue, each at a lightness where a mark
# reaches 3:1 against the white plot (WCAG 2.1, 1.4.11): the originals' orange (2.25:1), sky
# blue (2.31:1) and yellow (1.32:1) did not. The lightness of each was chosen so that every
# pair stays at least as far apart as in the original palette under simulated protanopia,
# deuteranopia and tritanopia (tests/test_charts.py measures both). Darkened, the sky blue is
# the deeper of the two blues, the reddish purple a plum and the vermillion a brown.
BLUE = "#175C82"
ORANGE = "#D07904"
GREEN = "#079A71"
PINK = "#662B4D"
SKY = "#017CE4"
VERMILLION = "#995401"
BLACK = "#000000"
BACKGROUND = "#FFFFFF"

# Every colour a chart fills a mark with. No yellow: no yellow reaches 3:1 on white.
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, BLACK)

# A project's stage, from talks to a finished plant.
STAGE_COLOURS: dict[Stage, str] = {
    Stage.negotiating: SKY,
    Stage.filed_and_approved: PINK,
    Stage.started: ORANGE,
    Stage.under_construction: VERMILLION,
    Stage.trial_production: GREEN,
    Stage.grid_connected: BLUE,
    Stage.built: BLACK,
}

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Text (4.5:1 on white): labels, ticks, annotations, the reference line's label.
TEXT_COLOUR = "#222222"
MUTED_TEXT_COLOUR = "#5F6368"
REFERENCE_LINE_COLOUR = "#444444"
# Axis lines and ticks (3:1); the grid is a light guide behind the marks, not a mark.
ZERO_LINE_COLOUR = "#767676"
GRID_COLOUR = "#E5E5E5"

_AXIS = {
    "automargin": True,
    "gridcolor": GRID_COLOUR,
    "linecolor": ZERO_LINE_COLOUR,
    "zerolinecolor": ZERO_LINE_COLOUR,
    "ticks": "outside",
    "tickcolor": ZERO_LINE_COLOUR,
    "title": {"standoff": 8},
    # No zooming or panning: small charts, and phones scroll past them with a finger.
    "fixedrange": True,
}

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        "colorway": list(PALETTE),
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "margin": {"l": 8, "r": 16, "t": 40, "b": 8, "pad": 2},
        "hoverlabel": {
            "bgcolor": "#FFFFFF",
            "bordercolor": "#666666",
            "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOUR},
            "align": "left",
            "namelength": -1,
        },
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "title": {"side": "top left"},
        },
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "bargap": 0.25,
        "separators": ".,",
        "hovermode": "closest",
    },
    data={
        "bar": [go.Bar(marker={"line": {"color": "#FFFFFF", "width": 1}})],
        "sunburst": [go.Sunburst(marker={"line": {"color": "#FFFFFF", "width": 1}})],
        "treemap": [go.Treemap(marker={"line": {"color": "#FFFFFF", "width": 1}})],
    },
)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two "#RRGGBB" colours, from 1 to 21."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(fill: str) -> str:
    """The text colour for a label on a mark of colour `fill`: black or white, whichever
    contrasts more (one of them always reaches 4.5:1)."""
    return max((BLACK, BACKGROUND), key=lambda text: contrast_ratio(text, fill))


def apply(fig: go.Figure, lang: str) -> go.Figure:
    """Give `fig` the dashboard's template (stored in the figure, not the global default)."""
    fig.update_layout(
        template=TEMPLATE,
        font_family=FONT_FAMILY,
        separators=".,",
        meta={"lang": lang},
    )
    return fig
