"""A real browser for the pages: Debian's Chromium driven by Playwright, and axe-core.

Playwright's sync API runs an asyncio event loop in this thread, which trips Django's
async-unsafe guard as soon as a database fixture runs after the browser started. The
browser and the test's database code never run at the same time (the live server
answers in its own thread), so the guard is switched off. (The variable is process-wide: in a run that
collects tests/browser it holds for the other tests of that run too.)
"""

import functools
import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import sync_playwright  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The WCAG 2.2 AA conformance the public sector accessibility regulations ask for.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"No Chromium at {executable}: install Debian's chromium or set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Runs before the page's own scripts, outside its Content-Security-Policy: every
# violation the browser reports is logged where the test listens.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', event => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def new_page(browser):
    """A page in a fresh browser context (no cookies), at a laptop's screen width: also
    a second person at their own computer (close it with `close_page`).

    `page.csp_violations` lists what the Content-Security-Policy blocked, from the page's
    `securitypolicyviolation` events and the browser's console."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    # Generous: on a 2-core machine running two workers, each with its own Chromium and
    # live server, a page that does real work (a Word import, a PDF) can take seconds.
    # A passing test never waits for it; only a failing one takes this long to say so.
    context.set_default_timeout(30_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.csp_violations = []

    def on_console(message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            page.csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return page


def close_page(page):
    """Close a page's browser context and fail if the Content-Security-Policy blocked
    anything on it."""
    page.context.close()
    if page.csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(page.csp_violations))


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) per test, at a laptop's screen width. A test
    that leaves any Content-Security-Policy violation fails at teardown, so every page a
    browser test visits is checked."""
    page = new_page(browser)
    yield page
    close_page(page)


def login(page, live_server, username, password):
    """Sign in through the login page, as a person would, and wait for the landing page:
    "Your tasks" for agency leads, the home page for everyone else."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url in (f"{live_server.url}/", f"{live_server.url}/tasks/"))


@functools.cache
def axe_script() -> str:
    return AXE_SCRIPT.read_text()


def assert_no_axe_violations(page):
    """Run axe-core on the page as it is now and fail with every WCAG A/AA violation."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` first.")
    # Evaluated through the browser's DevTools protocol, which the page's
    # Content-Security-Policy does not govern (an added <script> tag would be refused);
    # once per page loaded.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_script())
    # Only the violations: axe then skips describing every node that passed, and the
    # browser sends back only what the test reads.
    violations = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
        }).then(results => results.violations)""",
        AXE_TAGS,
    )
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    at {' '.join(str(part) for part in node['target'])}")
                summary = node.get("failureSummary")
                if summary:
                    lines.append("      " + summary.replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)
