"""One colour-blind-safe look for every chart (Okabe-Ito palette, CJK-capable fonts)."""

from __future__ import annotations

import plotly.graph_objects as go

from haixi.schema import Stage

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
PINK = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
BLACK = "#000000"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common kind of
# colour-vision deficiency. Yellow comes last: it is hard to see on white.
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, BLACK, YELLOW)

# A project's stage, from talks to a finished plant: light to dark, cool to warm.
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
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#E5E5E5"
REFERENCE_LINE_COLOUR = "#444444"
ZERO_LINE_COLOUR = "#999999"

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
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
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


def apply(fig: go.Figure, lang: str) -> go.Figure:
    """Give `fig` the dashboard's template (stored in the figure, not the global default)."""
    fig.update_layout(
        template=TEMPLATE,
        font_family=FONT_FAMILY,
        separators=".,",
        meta={"lang": lang},
    )
    return fig
