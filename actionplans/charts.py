"""The RAG trend as a stacked bar chart, drawn as SVG on the server.

Only geometry here: the template `actionplans/_trend_chart.html` draws it, so the same
chart can go into the PDF. The numbers are always also given as a table. Coordinates
come out as text with one decimal, ready for the SVG attributes (formatting them in
the template costs more than working them out).
"""

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 44, 40
# GOV.UK colours, each with a text colour that reads on it (WCAG AA: white on GOV.UK
# blue #1d70b8 is 5.2:1).
FILL = {
    "red": "#d4351c",
    "amber": "#ffdd00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "unrated": "#b1b4b6",
}
INK = {
    "red": "#ffffff",
    "amber": "#0b0c0c",
    "green": "#ffffff",
    "blue": "#ffffff",
    "unrated": "#0b0c0c",
}
MIN_LABELLED_HEIGHT = 16  # a segment lower than this has no room for its number


def px(value: float) -> str:
    return f"{value:.1f}"


def nice_step(top: int) -> int:
    """A round step for the axis so that it has at most five ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return max(1, round(top / 5, -3))


def trend_chart(points):
    """Bars for the trend's points (dashboard.TrendPoint, at least one), stacked in the
    board's order (red at the bottom), labelled with the plan's own words."""
    plot_width = WIDTH - LEFT - RIGHT
    key = legend(points[0].counts.cells, plot_width)
    # A legend on two lines (long labels, a fourth colour) pushes the plot down.
    top_margin = max(TOP, key[-1]["y"] + 36)
    plot_height = HEIGHT - top_margin - BOTTOM
    baseline = top_margin + plot_height
    top = max([p.counts.total for p in points] + [1])
    step = nice_step(top)
    top = -(-top // step) * step  # round the axis up to a whole step
    scale = plot_height / top
    slot = plot_width / len(points)
    bar_width = min(56, slot * 0.6)
    bars = []
    for i, point in enumerate(points):
        x = LEFT + slot * i + (slot - bar_width) / 2
        y = baseline
        segments = []
        for param, _, label, count in point.counts.cells:
            height = count * scale
            y -= height
            if count:
                segments.append(
                    {
                        "label": label,
                        "count": count,
                        "y": px(y),
                        "height": px(height),
                        "text_y": px(y + height / 2 + 5),
                        "labelled": height >= MIN_LABELLED_HEIGHT,
                        "fill": FILL[param],
                        "ink": INK[param],
                    }
                )
        bars.append(
            {
                "label": point.label,
                "x": px(x),
                "width": px(bar_width),
                "centre": px(x + bar_width / 2),
                "total": point.counts.total,
                "segments": segments,
            }
        )
    ticks = []
    for value in range(0, top + 1, step):
        y = baseline - value * scale
        ticks.append({"value": value, "y": px(y), "text_y": px(y + 4)})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "tick_label_x": LEFT - 6,
        "baseline": baseline,
        "label_y": baseline + 22,
        "bars": bars,
        "ticks": ticks,
        "legend": key,
    }


# The legend's text is 14px: about this many pixels a character, at the most.
LEGEND_CHARACTER = 7.5
LEGEND_GAP = 24


def legend(cells, plot_width):
    """A swatch and the label for each rating, left to right, each as wide as its label;
    an item that would run past the plot starts a second line (long labels, or the
    fourth colour)."""
    items, x, y = [], LEFT, 8
    for param, _, label, _ in cells:
        width = 20 + len(label) * LEGEND_CHARACTER
        if x > LEFT and x + width > LEFT + plot_width:
            x, y = LEFT, y + 18
        items.append(
            {
                "label": label,
                "fill": FILL[param],
                "x": px(x),
                "text_x": px(x + 20),
                "y": y,
                "text_y": y + 12,
            }
        )
        x += width + LEGEND_GAP
    return items
