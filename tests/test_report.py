"""`heatcalc report`: a self-contained HTML page with every chart and the table's numbers, single charts as SVG or
PNG, and a real browser's rendering of the page."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc.charts import CHARTS
from heatcalc.cli import app
from heatcalc.render import _money, _num

from .conftest import ROOT

runner = CliRunner()
FULL = """name: "Boston <b>colonial</b> & \\"AC\\" at end of life"
location: {zip: "02134"}
heating_load:
  from_bills: {fuel: natural_gas, amount: 780 therm, efficiency: 0.8, non_heating: 15 therm/month}
cooling_load: {}
systems:
  heat_pump: {hspf2: 9.5, compressor: variable_speed}
economics: {replace_current: true, incentives: {heat_pump: 4000 $}}
"""


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.refs, self.charts, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        for key in ("src", "href", "xlink:href", "action", "data"):
            if key in attrs:
                self.refs.append(attrs[key])
        if tag == "figure" and "data-chart" in attrs:
            self.charts.append(attrs["data-chart"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    full = folder / "full.yaml"
    full.write_text(FULL)
    out = folder / "report.html"
    r = runner.invoke(app, ["report", str(full), str(ROOT / "profiles" / "boston-gas.yaml"),
                            str(ROOT / "profiles" / "sacramento-tou-economics.yaml"), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and "Wrote" in r.stderr
    return full, out


def test_the_page_parses_and_holds_every_chart_and_the_tables_numbers(report):
    full, out = report
    text = out.read_text()
    page = _Page()
    page.feed(text)
    page.close()
    # full.yaml has every chart; Boston has no economics; Sacramento's time-of-use rate has no single break-even
    assert page.charts[:6] == list(CHARTS[:6])  # monthly_bills and solar need rates or solar
    assert page.charts[6:] == ["annual_cost", "monthly_cost", "heat_pump_capacity", "breakeven", "peak_demand",
                               "annual_cost", "monthly_cost", "heat_pump_capacity", "lifetime_cost", "peak_demand"]
    assert page.tags.count("svg") == len(page.charts)
    body = "".join(page.text)
    for profile in (full, ROOT / "profiles" / "boston-gas.yaml"):
        c = heatcalc.compare(profile)
        for row in c.rows:  # the numbers as the table prints them
            assert _money(row.annual_cost_usd) in body and _num(row.electricity_kwh) in body
    assert "Summary" in body and "What this does not tell you" in body and "Assumptions and defaults used" in body


def test_the_page_references_nothing_outside_itself(report):
    _, out = report
    text = out.read_text()
    page = _Page()
    page.feed(text)
    assert all(ref.startswith("#") for ref in page.refs), page.refs  # only links within the page
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    lowered = text.lower()
    assert not re.search(r"url\((?!#)", lowered) and "@import" not in lowered and "@font-face" not in lowered
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "element ids repeat between charts"
    for target in set(re.findall(r'url\(#([^)]+)\)', text)) | {r[1:] for r in page.refs}:
        assert f'id="{target}"' in text or f"id='{target}'" in text, target


def test_user_text_is_escaped(report):
    _, out = report
    text = out.read_text()
    assert "<b>colonial</b>" not in text
    assert "Boston &lt;b&gt;colonial&lt;/b&gt; &amp; &quot;AC&quot;" in text


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_single_charts(tmp_path, fmt):
    out = tmp_path / f"chart.{fmt}"
    r = runner.invoke(app, ["report", str(ROOT / "profiles" / "boston-gas.yaml"), "-f", fmt, "--chart",
                            "heat_pump_capacity", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    else:
        root = ET.fromstring(data)
        assert root.tag.endswith("svg") and "viewBox" in root.attrib
        assert b"Outdoor temperature [F]" in data and b"Heat [kBtu/h]" in data  # labelled axes, with units


@pytest.mark.parametrize("args, message", [
    (["-f", "svg"], "--chart: give one of"),
    (["-f", "svg", "--chart", "lifetime_cost"], "does not apply"),
    (["--chart", "breakeven"], "--chart goes with --format svg or png"),
])
def test_report_usage_errors(tmp_path, args, message):
    r = runner.invoke(app, ["report", str(ROOT / "profiles" / "boston-gas.yaml"), "-o", str(tmp_path / "x"), *args])
    assert r.exit_code == 2 and message in r.stderr
    assert not (tmp_path / "x").exists()


def test_report_never_writes_over_an_input(tmp_path):
    profile = tmp_path / "home.yaml"
    profile.write_text(FULL)
    r = runner.invoke(app, ["report", str(profile), "-o", str(profile)])
    assert r.exit_code == 2 and "is one of the inputs" in r.stderr
    assert profile.read_text() == FULL


def test_compare_does_not_import_the_plotting_library():
    code = ("import sys, io, contextlib; from heatcalc.cli import main; sys.argv = ['heatcalc', 'compare', "
            f"{str(ROOT / 'profiles' / 'boston-gas.yaml')!r}]\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()): main()\nexcept SystemExit: pass\n"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed here (.ci/run installs Debian's "
                                                "chromium package; it could not be installed on this machine)")
@pytest.mark.parametrize("width", [375, 1200])
def test_a_real_browser_renders_the_page(report, tmp_path, width):
    import matplotlib.image

    _, out = report
    shot = tmp_path / f"shot{width}.png"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", f"--window-size={width},1600",
                    f"--screenshot={shot}", out.as_uri()], capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(tmp_path)})
    assert shot.exists(), "the browser wrote no screenshot"
    pixels = matplotlib.image.imread(str(shot))[..., :3]
    assert pixels.shape[1] == width
    dark = (pixels.mean(axis=2) < 0.5).mean()
    colored = (pixels.max(axis=2) - pixels.min(axis=2) > 0.3).mean()
    assert dark > 0.005, "the page looks blank (no text)"
    assert colored > 0.005, "no chart colours on the page"


def test_charts_are_kept_whole_when_printed(report):
    _, out = report
    css = out.read_text().split("<style>", 1)[1].split("</style>", 1)[0]
    assert "figure { margin: 1.2em 0; break-inside: avoid; page-break-inside: avoid; }" in css
    assert "@media print" in css


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed here (.ci/run installs Debian's "
                                                "chromium package; it could not be installed on this machine)")
def test_a_real_browser_prints_the_page_to_pdf(report, tmp_path):
    _, out = report
    pdf = tmp_path / "report.pdf"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    out.as_uri()], capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 3


def test_a_home_with_rates_and_solar_gets_its_bills_and_solar_charts(tmp_path):
    from heatcalc.report import chart_names, solar_series

    c = heatcalc.compare(ROOT / "profiles" / "boston-tariff-solar.yaml")
    assert chart_names(c)[-2:] == ["monthly_bills", "solar"]
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(ROOT / "profiles" / "boston-tariff-solar.yaml"), "-o",
                               str(out)]).exit_code == 0
    text = out.read_text()
    assert "data-chart='monthly_bills'" in text and "data-chart='solar'" in text
    pv, used, exported = solar_series(c)
    assert pv.sum() == pytest.approx(c.to_dict()["solar"]["annual_kwh"])
    assert (used + exported) == pytest.approx(pv)

