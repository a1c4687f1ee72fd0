#!/usr/bin/env python3
"""vm-bench-report.py RESULTS.tsv TABLE.md CHART.svg [HEADER]: the table and chart of a vm-bench run.

RESULTS.tsv (written by scripts/vm-bench.sh) has one line per measurement:
    row  round  variant  mpps  cpu_seconds  frames
variant is c (netmap's C pkt-gen), jit (`dotnet netmap.dll`) or aot (the Native AOT binary);
cpu_seconds and frames are those of the measured process (the sender in a TX row, the receiver
in an RX row). Empty fields mean the measurement failed.

Per row and variant: the median over the rounds and the spread (lowest–highest). The ratios are
taken per round (ours / C of the same round, which ran interleaved with it) and their median is
the figure a target is judged by. CPU per frame = (user + system) / frames, in nanoseconds.
No packages beyond Python's standard library.
"""
import statistics
import sys
from html import escape

VARIANTS = ("c", "jit", "aot")
NAMES = {"c": "netmap C pkt-gen", "jit": "`netmap` (JIT)", "aot": "`netmap` (Native AOT)"}
CHART_NAMES = {"c": "C pkt-gen", "jit": "netmap, JIT", "aot": "netmap, Native AOT"}
COLOURS = {"c": "#7f7f7f", "jit": "#1f77b4", "aot": "#ff7f0e"}
ROWS = {
    # row: (table label, chart label, whose CPU is measured)
    "vale-tx": ("TX into a VALE port (no receiver)", "TX into VALE", "sender"),
    "vale-tx-p2": ("TX into VALE, 2 threads (`-p 2`)", "TX into VALE, -p 2", "sender"),
    "pipe-to-c": ("pipe, sender → C receiver", "pipe, → C", "sender"),
    "pipe-from-c": ("pipe, C sender → receiver", "pipe, C →", "receiver"),
    "vale-to-c": ("VALE port to port, sender → C receiver", "VALE, → C", "sender"),
    "vale-from-c": ("VALE port to port, C sender → receiver", "VALE, C →", "receiver"),
}


def number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def load(path):
    """{row: {variant: {round: (mpps, ns_per_frame)}}} in the order rows first appear."""
    data = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 6:
                continue
            row, rnd, variant, mpps, cpu, frames = fields[:6]
            mpps, cpu, frames = number(mpps), number(cpu), number(frames)
            ns = cpu / frames * 1e9 if cpu is not None and frames is not None else None
            data.setdefault(row, {}).setdefault(variant, {})[int(rnd)] = (mpps, ns)
    return data


def values(cells, index):
    return [v[index] for v in cells.values() if v[index] is not None]


def ratios(row_data, variant, index):
    """Per round: ours / C of the same round."""
    ours, c = row_data.get(variant, {}), row_data.get("c", {})
    return [ours[r][index] / c[r][index] for r in ours
            if r in c and ours[r][index] is not None and c[r][index] is not None]


def summary(xs, digits, bold=False):
    if not xs:
        return "—"
    median = f"{statistics.median(xs):.{digits}f}"
    if bold:
        median = f"**{median}**"
    return f"{median} ({min(xs):.{digits}f}–{max(xs):.{digits}f})" if len(xs) > 1 else median


def failed(cells, index):
    """A note when some rounds produced no figure (the run failed; its logs say why)."""
    n = sum(1 for v in cells.values() if v[index] is None)
    return f", {n} failed" if n else ""


def table(data):
    lines = []
    rate_head = "| row | " + " | ".join(f"{NAMES[v]}, Mpps" for v in VARIANTS) + " | JIT / C | AOT / C |"
    cpu_head = "| row (CPU of) | " + " | ".join(f"{NAMES[v]}, ns/frame" for v in VARIANTS) + " | JIT / C | AOT / C |"
    for head, index, digits in ((rate_head, 0, 2), (cpu_head, 1, 0)):
        lines.append(head)
        lines.append("|---|" + "---:|" * (len(VARIANTS) + 2))
        for row, row_data in data.items():
            label, _, whose = ROWS.get(row, (row, row, "?"))
            if index == 1:
                label = f"{label} ({whose})"
            cells = [summary(values(row_data.get(v, {}), index), digits) + failed(row_data.get(v, {}), index) for v in VARIANTS]
            cells += [summary(ratios(row_data, v, index), 2, bold=True) for v in ("jit", "aot")]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


LEFT, BAR, GAP = 60, 22, 34
GROUP = BAR * len(VARIANTS) + GAP


def chart_width(data):
    return max(640, LEFT + 30 + GROUP * len(data))


def panel(data, index, title, unit, top):
    """One bar chart as SVG elements, its top edge at y=top; returns (elements, height)."""
    rows = list(data)
    width, left, plot_h, bar, group = chart_width(data), LEFT, 200, BAR, GROUP
    highs = [max(values(data[r].get(v, {}), index) or [0]) for r in rows for v in VARIANTS]
    scale_max = max(highs + [1e-9]) * 1.1
    base = top + 30 + plot_h
    out = [f'<text x="{left}" y="{top + 16}" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i in range(5):   # grid lines and axis labels
        v = scale_max * i / 4
        y = base - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{v:.0f}</text>' if scale_max >= 20
                   else f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{v:.1f}</text>')
    out.append(f'<text x="14" y="{base - plot_h / 2:.1f}" font-size="11" transform="rotate(-90 14 {base - plot_h / 2:.1f})" text-anchor="middle">{escape(unit)}</text>')
    for g, row in enumerate(rows):
        x0 = left + 20 + g * group
        for k, v in enumerate(VARIANTS):
            xs = values(data[row].get(v, {}), index)
            if not xs:
                continue
            x = x0 + k * bar
            med, lo, hi = statistics.median(xs), min(xs), max(xs)
            h = plot_h * med / scale_max
            out.append(f'<rect x="{x}" y="{base - h:.1f}" width="{bar - 3}" height="{h:.1f}" fill="{COLOURS[v]}">'
                       f'<title>{escape(CHART_NAMES[v])}: median {med:.3g}, {lo:.3g}–{hi:.3g}</title></rect>')
            cx = x + (bar - 3) / 2
            y_lo, y_hi = base - plot_h * lo / scale_max, base - plot_h * hi / scale_max
            out.append(f'<line x1="{cx:.1f}" y1="{y_lo:.1f}" x2="{cx:.1f}" y2="{y_hi:.1f}" stroke="#000"/>')
            for y in (y_lo, y_hi):
                out.append(f'<line x1="{cx - 4:.1f}" y1="{y:.1f}" x2="{cx + 4:.1f}" y2="{y:.1f}" stroke="#000"/>')
        label = ROWS.get(row, (row, row))[1]
        out.append(f'<text x="{x0 + bar * len(VARIANTS) / 2:.1f}" y="{base + 16}" font-size="11" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#000"/>')
    return out, 30 + plot_h + 30


def chart(data, header):
    width = chart_width(data)
    elements = [f'<text x="10" y="18" font-size="12">{escape(header)}</text>']
    y = 30
    for k, v in enumerate(VARIANTS):   # legend
        elements.append(f'<rect x="{60 + k * 200}" y="{y}" width="12" height="12" fill="{COLOURS[v]}"/>')
        elements.append(f'<text x="{78 + k * 200}" y="{y + 11}" font-size="12">{escape(CHART_NAMES[v])}</text>')
    y += 24
    for index, title, unit in ((0, "Rate: median of the rounds, whisker = lowest–highest (higher is better)", "Mpps"),
                               (1, "CPU time per frame of the measured process (lower is better)", "ns/frame")):
        part, height = panel(data, index, title, unit, y)
        elements += part
        y += height + 10
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" '
            f'font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n' + "\n".join(elements) + "\n</svg>\n")


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    results, table_out, svg_out = sys.argv[1:4]
    header = sys.argv[4] if len(sys.argv) > 4 else ""
    data = load(results)
    with open(table_out, "w", encoding="utf-8") as f:
        f.write(table(data))
    with open(svg_out, "w", encoding="utf-8") as f:
        f.write(chart(data, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
