"""A self-contained HTML page for one sweep: metadata, KPI distributions, rank correlations.

Figures are embedded as PNG (base64), so the page is a single file.

Example (a full sweep; run it yourself)::

    from carbonhub.sweep.report import html_report
    html_report(ch.sweep.load("runs/ft.parquet"), "runs/ft.html")
"""
from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from .analysis import spearman, summary
from .plots import plot_distribution, plot_spearman
from .result import SweepResult

__all__ = ["html_report"]


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def html_report(result: SweepResult, path: str | Path) -> Path:
    """Write the report of ``result`` to ``path`` and return the path."""
    meta = result.meta
    parts = [f"<h1>Sweep of {html.escape(result.route)}</h1>",
             f"<p>carbonhub {html.escape(str(meta.get('carbonhub_version')))}, method "
             f"{html.escape(result.method)}, seed {result.seed}, {result.n_done} of "
             f"{result.n_cases} cases finished.</p>",
             "<h2>Parameters</h2><table><tr><th>name</th><th>distribution</th></tr>"]
    for name, dist in result.parameters.items():
        parts.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(repr(dist))}</td></tr>")
    parts.append("</table>")
    counts = result.status_counts()
    parts += ["<h2>Status</h2>", counts.to_frame().to_html()]
    numeric = [k for k in result.kpi_names if meta.get("kpi_kinds", {}).get(k) != "string"]
    if numeric and counts.get("ok", 0) > 0:
        parts += ["<h2>KPI distributions</h2>",
                  summary(result, numeric).to_html(float_format=lambda v: f"{v:.4g}")]
        for k in [k for k in ("msp_eur_per_t", "co2_emitted_t_per_y") if k in numeric] or numeric[:2]:
            parts.append(_png(plot_distribution(result, k)))
        num_params = [k for k, d in result.parameters.items()
                      if d.kind == "float" and d.dist != "constant"]
        if num_params and counts.get("ok", 0) > 2:
            rho = spearman(result, numeric, num_params)
            parts += ["<h2>Spearman rank correlations</h2>",
                      rho.to_html(float_format=lambda v: f"{v:.3f}")]
            key = "msp_eur_per_t" if "msp_eur_per_t" in rho else rho.columns[0]
            if np.isfinite(rho[key]).any():
                parts.append(_png(plot_spearman(rho, key)))
    body = "\n".join(parts)
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>Sweep "
            f"{html.escape(result.route)}</title><style>body{{font-family:sans-serif;margin:2em}}"
            f"table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}"
            f"</style></head><body>{body}</body></html>")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:  # atomic: the old report or the complete new one, no temporary file left
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
