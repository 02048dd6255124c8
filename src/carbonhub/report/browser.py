"""A headless browser (Chromium or Chrome) for what matplotlib cannot do: a PNG of the report's
SVG process flow diagram, screenshots of HTML reports, and a check that a report loads with
every figure drawn and nothing on the console.

The browser is found on ``PATH`` (``chromium``, ``chromium-browser``, ``google-chrome``) or
named by ``$CARBONHUB_BROWSER``; ``make test`` installs Debian's ``chromium`` when it can
(``scripts/install_browser.sh``). Each call starts the browser with a fresh profile directory
(removed afterwards), headless, without sandbox, GPU, QUIC, first-run, sync, component update or
background networking, so it never reaches the network by itself.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio")
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class NoBrowserError(RuntimeError):
    """No headless Chromium or Chrome on this machine."""


def find_browser() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    for name in (os.environ.get("CARBONHUB_BROWSER", ""),) + NAMES:
        if name and (path := shutil.which(name)):
            return path
    return None


def run_browser(url: str, args: Sequence[str] = (), timeout: float = 120.0
                ) -> subprocess.CompletedProcess:
    """Run the browser once on ``url`` with ``args`` (after :data:`FLAGS`), in a fresh profile."""
    exe = find_browser()
    if exe is None:
        raise NoBrowserError("no headless browser found: install Debian's 'chromium' "
                             "(make browser) or set CARBONHUB_BROWSER to a Chrome/Chromium")
    with tempfile.TemporaryDirectory(prefix="carbonhub-browser-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def screenshot(page: str | Path, png: str | Path, width: int = 1600, height: int = 1200,
               scale: float = 1.0, timeout: float = 120.0) -> Path:
    """A PNG of the top ``width`` x ``height`` CSS pixels of the HTML file ``page`` (``scale``
    device pixels per CSS pixel)."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    r = run_browser(Path(page).resolve().as_uri(), [f"--window-size={width},{height}",
                                                    f"--screenshot={png}",
                                                    f"--force-device-scale-factor={scale:g}",
                                                    "--virtual-time-budget=5000"], timeout)
    if not png.is_file():
        raise RuntimeError(f"the browser wrote no screenshot of {page} (exit {r.returncode}): "
                           f"{r.stderr.strip().splitlines()[-1:]}")
    return png


def svg_to_png(svg: str, png: str | Path, scale: float = 1.0) -> Path:
    """A PNG of an SVG document (``width``/``height`` attributes in px) at ``scale``."""
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if m is None:
        raise ValueError("svg_to_png: the SVG has no width and height attributes in px")
    w, h = float(m.group(1)), float(m.group(2))
    with tempfile.TemporaryDirectory(prefix="carbonhub-svg-") as tmp:
        page = Path(tmp) / "figure.html"
        page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body'
                        "{margin:0;background:#fff}</style></head><body>" + svg + "</body></html>",
                        encoding="utf-8")
        return screenshot(page, png, int(round(w)), int(round(h)), scale)


CHECK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<pre id="out">pending</pre>
%(frames)s
<script>
function figures(d) {
  const out = [];
  for (const f of d.querySelectorAll('.fig')) {
    const img = f.querySelector('img'), svg = f.querySelector('svg');
    if (img) out.push({kind: 'img', alt: img.alt, w: img.naturalWidth, h: img.naturalHeight,
                       ok: img.complete && img.naturalWidth > 0 && img.naturalHeight > 0});
    else if (svg) { const b = svg.getBBox();
      out.push({kind: 'svg', alt: svg.getAttribute('class') || '', w: b.width, h: b.height,
                ok: b.width > 0 && b.height > 0 && svg.childElementCount > 0}); }
    else out.push({kind: 'none', alt: f.className, w: 0, h: 0, ok: false});
  }
  return out;
}
window.addEventListener('load', () => {
  const res = [];
  for (const f of document.querySelectorAll('iframe')) {
    const d = f.contentDocument;
    res.push({src: f.getAttribute('src'), title: d ? d.title : null,
              width: d ? d.documentElement.scrollWidth : 0,
              height: d ? d.documentElement.scrollHeight : 0,
              figures: d ? figures(d) : []});
  }
  document.getElementById('out').textContent = JSON.stringify(res);
});
</script></body></html>
"""


def inspect_pages(pages: Sequence[str | Path], width: int = 1600, timeout: float = 180.0
                  ) -> list[dict]:
    """Load HTML files in one browser run and report, per page: ``title``, ``width`` and
    ``height`` (scroll size at ``width`` px), ``figures`` (each ``.fig`` box: kind img/svg,
    natural or drawn size, ``ok`` when it has pixels) and ``console`` (messages the page
    wrote to the console: scripts that fail, resources that do not load)."""
    paths = [Path(p).resolve() for p in pages]
    frames = "\n".join(f'<iframe src="{p.as_uri()}" style="width:{width}px;height:600px">'
                       "</iframe>" for p in paths)
    with tempfile.TemporaryDirectory(prefix="carbonhub-check-") as tmp:
        check = Path(tmp) / "check.html"
        check.write_text(CHECK_PAGE % {"frames": frames}, encoding="utf-8")
        r = run_browser(check.as_uri(), ["--allow-file-access-from-files", "--dump-dom",
                                         "--enable-logging=stderr", "--v=0",
                                         f"--window-size={width + 40},800",
                                         "--virtual-time-budget=15000"], timeout)
    m = re.search(r'<pre id="out">(.*?)</pre>', r.stdout, re.S)
    if m is None or m.group(1) == "pending":
        raise RuntimeError(f"the browser did not finish loading the pages (exit {r.returncode})")
    import html as _html

    found = json.loads(_html.unescape(m.group(1)))
    console = [ln for ln in r.stderr.splitlines() if ":CONSOLE" in ln]
    for page, p in zip(found, paths):
        page["path"] = str(p)
        page["console"] = [ln for ln in console if p.as_uri() in ln or p.name in ln]
    stray = [ln for ln in console if not any(p.name in ln for p in paths)]
    if stray:  # the check page itself must not write to the console
        raise RuntimeError("console messages of the check page: " + " | ".join(stray))
    return found


def screenshot_pages(pages: Sequence[str | Path], sizes: Sequence[tuple[int, int]],
                     pngs: Sequence[str | Path], scale: float = 0.5) -> list[Path]:
    """Whole-page screenshots of several HTML files in one browser run: the pages side by side
    in frames of their (width, height) in CSS px, one PNG each (cut from one image). Heights
    get 8 % of slack: text laid out at another device scale wraps a little differently."""
    from PIL import Image

    paths = [Path(p).resolve() for p in pages]
    sizes = [(int(w), int(h * 1.08) + 100) for w, h in sizes]
    frames = "".join(f'<iframe src="{p.as_uri()}" scrolling="no" style="border:0;width:{w}px;'
                     f'height:{h}px;flex:none"></iframe>' for p, (w, h) in zip(paths, sizes))
    total_w = sum(w for w, _ in sizes)
    total_h = max(h for _, h in sizes)
    with tempfile.TemporaryDirectory(prefix="carbonhub-shots-") as tmp:
        tiled = Path(tmp) / "tiled.html"
        tiled.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0}'
                         f"body{{display:flex;align-items:flex-start}}</style></head><body>{frames}"
                         "</body></html>", encoding="utf-8")
        whole = screenshot(tiled, Path(tmp) / "tiled.png", total_w, total_h, scale, timeout=180.0)
        img = Image.open(whole)
        out, x = [], 0
        for png, (w, h) in zip(pngs, sizes):
            png = Path(png)
            png.parent.mkdir(parents=True, exist_ok=True)
            img.crop((round(x * scale), 0, round((x + w) * scale), round(h * scale))).save(png)
            out.append(png)
            x += w
    return out
