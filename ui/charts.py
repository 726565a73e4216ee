"""Charts the app's way (issue 17): dates in the user's language, a target drawn dashed in its figure's colour and
dashed in the legend too, and a legend of one column under the chart that a 390 px phone shows whole."""

import altair as alt

import ui

SOLID, DASHED = [1, 0], [6, 4]


def day_format() -> str:
    """An axis date as 12月3日 in Chinese, Dec 3 in English."""
    return "%-m月%-d日" if ui.lang() == "zh" else "%b %-d"


def day_axis(title=None) -> alt.X:
    """The x channel of a chart over days, labelled in the user's language."""
    return alt.X("day:T", title=title, axis=alt.Axis(format=day_format(), labelOverlap=True, labelAngle=0))


def legend() -> alt.Legend:
    """A legend under the chart, one entry a line, never cut (a phone is 390 px wide)."""
    return alt.Legend(orient="bottom", direction="vertical", columns=1, title=None, labelLimit=0, symbolType="stroke",
                      symbolStrokeWidth=2.5, symbolSize=300)


def lines(frame, *, series: str, names: list[str], colors: list[str], dashed=(), y: alt.Y, x=None, tooltip=None):
    """A line per `series` value, in the order and colours given; the `dashed` ones dashed, in the chart and in the
    legend (colour and dash share one legend: a target and its figure are told apart by the dash)."""
    dashes = [DASHED if name in dashed else SOLID for name in names]
    encode = dict(
        x=x or day_axis(), y=y,
        color=alt.Color(f"{series}:N", scale=alt.Scale(domain=names, range=colors), legend=legend(), sort=names),
        strokeDash=alt.StrokeDash(f"{series}:N", scale=alt.Scale(domain=names, range=dashes), legend=legend(), sort=names),
    )
    if tooltip:
        encode["tooltip"] = tooltip
    return alt.Chart(frame).mark_line(point=False, strokeWidth=2).encode(**encode)


def encoding(chart) -> dict[str, str]:
    """{series name: "solid" or "dashed"} as a chart draws it: what a caption saying which line is dashed must match."""
    spec = chart.to_dict()
    layers = spec.get("layer", [spec])
    for layer in layers:
        dash = layer.get("encoding", {}).get("strokeDash")
        if dash:
            scale = dash["scale"]
            return {name: "dashed" if d == DASHED else "solid" for name, d in zip(scale["domain"], scale["range"])}
    return {}
