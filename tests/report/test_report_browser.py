"""The HTML report opened in a real browser (headless Chromium), when one is installed: the
page loads, the screenshot is not blank and the DOM holds every figure. Skipped without
Chromium: the CI does not depend on a browser."""
from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest

from carbonhub.report import html_report

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)


@pytest.mark.component
@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")
def test_report_renders_in_headless_chromium(res_costs, tmp_path):
    from PIL import Image

    page = tmp_path / "report.html"
    page.write_text(html_report(res_costs.flowsheet, res_costs), encoding="utf-8")
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        flags = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1600,3000"]
        dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True,
                             text=True, timeout=120).stdout
        subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True,
                       timeout=120)
    assert dom.count('class="pfd"') == 1 and dom.count("data:image/png;base64,") == 5
    assert 'class="unit"' in dom and 'class="material"' in dom
    img = Image.open(shot).convert("L")
    assert img.size == (1600, 3000)
    lo, hi = img.getextrema()
    assert hi - lo > 100  # not a blank page
