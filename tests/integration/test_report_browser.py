"""The HTML drift report in a real browser: a 1,000-host report opened from a file in headless
Chromium (Debian's chromium and chromium-driver, driven by selenium) at 1280x800.

Checks that the summary, the status bar and the first problem host are above the fold, that
the page loads nothing (no resource entries, no console errors such as a CSP violation), that a
host's detail opens with one click, that the optional filter works, and that with JavaScript
off every host is still listed. Saves report-1000.png in the test's tmp dir (and, when
FLEETPOLICY_SCREENSHOT_DIR is set, there too) for a person to look at.

The browser is kept off the network: every request goes to a dead proxy on loopback, no host
name resolves, background networking is off, and selenium is given the driver's path (so its
manager neither downloads anything nor reports statistics).
"""

import os
import shutil

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report._build import STATUSES
from ansible_collections.fleetpolicy.claude_code.tests._support.report_samples import sample_report

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH, HEIGHT = 1280, 800

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless browser test needs Debian's chromium and chromium-driver (scripts/bootstrap.sh apt)",
)


def _selenium():
    return pytest.importorskip("selenium.webdriver", reason="selenium is not installed (requirements/test.txt)")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-html") / "claude-code-drift.html"
    path.write_text(_render.render_html(sample_report(1000)), encoding="utf-8")
    return path


def _browser(javascript=True):
    webdriver = _selenium()
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_AVOID_STATS"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--window-size=%d,%d" % (WIDTH, HEIGHT),
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-sync",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-default-apps",
        "--metrics-recording-only",
        "--no-pings",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_window_size(WIDTH, HEIGHT)
    return driver


@pytest.fixture(scope="module")
def page(report_file):
    driver = _browser()
    try:
        driver.get(report_file.as_uri())
        yield driver
    finally:
        driver.quit()


def _rect(driver, element_id):
    return driver.execute_script(
        "var e=document.getElementById(arguments[0]); if(!e) return null;"
        "var r=e.getBoundingClientRect(); return {top:r.top,bottom:r.bottom,left:r.left,right:r.right,"
        "width:r.width,height:r.height,display:getComputedStyle(e).display,visibility:getComputedStyle(e).visibility};",
        element_id,
    )


def _screenshot(driver, shot):
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10000
    keep = os.environ.get("FLEETPOLICY_SCREENSHOT_DIR")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(str(shot), os.path.join(keep, shot.name))


def test_summary_bar_and_first_problem_above_the_fold(page, tmp_path):
    fold = page.execute_script("return window.innerHeight")
    assert fold >= HEIGHT - 150, fold
    summary, status_bar, first = _rect(page, "summary"), _rect(page, "bar"), _rect(page, "problem-1")
    assert summary and status_bar and first
    assert summary["top"] >= 0 and summary["bottom"] <= fold, (summary, fold)
    assert status_bar["width"] > WIDTH / 2 and status_bar["height"] >= 10, status_bar
    assert status_bar["visibility"] == "visible" and status_bar["bottom"] <= fold, status_bar
    assert first["top"] >= 0 and first["bottom"] <= fold, (first, fold)
    # Every status with hosts has a visible segment, however small its share (10 of 1,000).
    widths = page.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#bar span'),"
        "function(s){return s.getBoundingClientRect().width})"
    )
    assert len(widths) == len(STATUSES) and min(widths) >= 4, widths
    _screenshot(page, tmp_path / "report-1000.png")


def test_page_loads_nothing_and_logs_no_error(page):
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in page.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert page.execute_script("return document.querySelectorAll('details[data-host]').length") == 1000


def test_a_host_detail_is_one_click_away(page, tmp_path):
    assert not page.execute_script("return document.getElementById('problem-1').open")
    page.find_element("css selector", "#problem-1 > summary").click()
    assert page.execute_script("return document.getElementById('problem-1').open")
    detail = page.execute_script(
        "var d=document.querySelector('#problem-1 .detail').getBoundingClientRect();return d.height"
    )
    assert detail > 50
    _screenshot(page, tmp_path / "report-1000-detail.png")
    page.find_element("css selector", "#problem-1 > summary").click()


def test_the_filter_narrows_the_host_lists(page):
    assert page.execute_script("return document.getElementById('filter').hidden") is False
    box = page.find_element("id", "q")
    box.send_keys("bedrock-private-0001")
    shown = page.execute_script("return document.querySelectorAll('[data-host]:not(.hidden)').length")
    assert shown == 1
    box.clear()
    page.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
    assert page.execute_script("return document.querySelectorAll('[data-host].hidden').length") == 0


def test_without_javascript_every_host_is_listed(report_file):
    driver = _browser(javascript=False)
    try:
        driver.get(report_file.as_uri())
        assert _rect(driver, "filter")["display"] == "none"
        hosts = driver.find_elements("css selector", "details[data-host]")
        assert len(hosts) == 1000
        first = driver.find_element("id", "problem-1")
        assert first.is_displayed()
        first.find_element("css selector", "summary").click()
        assert first.find_element("css selector", ".detail").is_displayed()
    finally:
        driver.quit()
