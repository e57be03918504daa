"""Write the briefing of the bundled off-ramp tree and look at it as a reader would:
`python docs/screenshots/render_briefing.py`.

Runs `offramp brief` for docs/examples/briefing.pdf and briefing.html (comparing the
essay's view with rhetoric that commits the West), checks that the
HTML is one file that loads nothing (no script, every picture a data: address), and
renders it in headless Chromium to docs/screenshots/briefing-html.png. Each PDF page is
also drawn to a PNG with pdftoppm (poppler), into a temporary folder it names, to look
at. Exits 1, saying why, when a step fails or a tool is missing.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "trees" / "offramp.json"
EXAMPLES = ROOT / "docs" / "examples"
SCREENSHOT = ROOT / "docs" / "screenshots" / "briefing-html.png"
WINDOW = (1200, 3000)
#: The essay's view beside rhetoric that commits the West (the tree's first two scenarios).
SCENARIOS = ("As the essay argues", "Rhetoric commits the West")


class Loads(HTMLParser):
    """What a page would fetch: scripts, and addresses that are not data: ones."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.fetched: list[str] = []
        self.pictures = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.pictures += tag == "img"
        self.fetched += [value or "" for name, value in attrs if name in ("src", "href")
                         and not (value or "").startswith(("data:", "#"))]


def fail(message: str) -> None:
    print(f"render_briefing: {message}", file=sys.stderr)
    sys.exit(1)


def brief(out: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    scenarios = [arg for name in SCENARIOS for arg in ("--scenario", name)]
    done = subprocess.run([sys.executable, "-m", "offramp_gui", "brief", str(TREE), "-o",
                           str(out), *scenarios], env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode:
        fail(f"offramp brief -o {out.name} failed: {done.stderr.strip()}")


def check_html(path: Path) -> int:
    page = Loads()
    page.feed(path.read_text(encoding="utf-8"))
    if page.scripts or page.fetched:
        fail(f"{path.name} is not self-contained: {page.scripts} scripts, loads"
             f" {page.fetched[:3]}")
    return page.pictures


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    fail("headless Chromium is needed to render the HTML (the Debian package chromium)")
    raise AssertionError  # (fail exits)


def screenshot(html: Path, png: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
             html.resolve().as_uri()], capture_output=True, text=True, timeout=300)
    if done.returncode or not png.is_file():
        fail(f"Chromium did not render {html.name}: {done.stderr.strip()[-500:]}")
    header = png.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n" or struct.unpack(">II", header[16:24]) != WINDOW:
        fail(f"{png.name} is not a {WINDOW[0]} by {WINDOW[1]} PNG")


def pdf_pages(pdf: Path) -> Path:
    tool = shutil.which("pdftoppm")
    if tool is None:
        fail("pdftoppm (poppler-utils) is needed to draw the PDF's pages")
    folder = Path(tempfile.mkdtemp(prefix="offramp-briefing-"))
    subprocess.run([str(tool), "-r", "60", "-png", str(pdf), str(folder / "page")],
                   check=True, timeout=300)
    return folder


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    pdf, html = EXAMPLES / "briefing.pdf", EXAMPLES / "briefing.html"
    brief(pdf)
    brief(html)
    pictures = check_html(html)
    screenshot(html, SCREENSHOT)
    pages = sorted(pdf_pages(pdf).iterdir())
    print(f"{pdf.relative_to(ROOT)}: {len(pages)} pages, drawn in {pages[0].parent}")
    print(f"{html.relative_to(ROOT)}: {pictures} pictures, nothing loaded from elsewhere")
    print(f"{SCREENSHOT.relative_to(ROOT)}: Chromium's rendering, {WINDOW[0]} by {WINDOW[1]}")


if __name__ == "__main__":
    main()
