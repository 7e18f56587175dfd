"""What every journey checks on every page it reaches, as a person would
notice it: the page fits the screen, the server did not fail, and axe-core
finds no WCAG 2.1 AA violation. Each step leaves a screenshot."""

import functools
import re
import unicodedata

from tests.services import BASE_DIR, artifacts_dir

AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"viewport": {"width": 360, "height": 800}, "locale": "vi-VN"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"}


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the site's Content-Security-Policy
        # rightly refuses inline scripts, and the test must not loosen it.
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        WCAG_21_AA,
    )


# Header and footer controls, and every button, select and disclosure in the
# page, must be at least 44×44 CSS px (WCAG 2.5.5); links inside text are exempt.
TOO_SMALL_JS = """() => {
  const controls = document.querySelectorAll(
    '.top a, .top button, .top summary, .foot a, .foot button, .foot select,'
    + ' main button, main .btn, main select, main summary');
  const out = [];
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.width < 44 || box.height < 44) {
      out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`
               + ` ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return out.slice(0, 8);
}"""


class Walk:
    """A person's way through the site in one browser context.

    ``check`` is called after every click that shows a new page or a new
    state; it fails the journey on a sideways scroll, a 5xx seen since the
    last check, or an axe violation, and saves ``<journey>-NN-<step>.png``.
    """

    def __init__(self, browser, journey: str, *, viewport: dict, **context_args):
        self.journey = journey
        self.context = browser.new_context(**viewport, accept_downloads=True, **context_args)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.server_errors: list[str] = []
        self.context.on("response", self._response)
        self.count = 0
        self.folder = artifacts_dir() / "e2e"
        self.folder.mkdir(exist_ok=True)

    def _response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def check(self, step: str, *, page=None, axe: bool = True, known: dict | None = None) -> None:
        """``known`` maps an axe rule to the element it may flag (a CSS
        selector axe reports) and why: third-party markup we do not own."""
        page = page or self.page
        page.wait_for_load_state("load")
        # Judge the page as it settles, not halfway through a fade-in.
        page.evaluate(
            """() => Promise.race([
                 Promise.all(document.getAnimations()
                   .filter(a => a.effect.getComputedTiming().iterations !== Infinity)
                   .map(a => a.finished.catch(() => null))),
                 new Promise(done => setTimeout(done, 3000))])"""
        )
        self.count += 1
        plain = unicodedata.normalize("NFKD", step.lower().replace("đ", "d"))
        slug = re.sub(r"[^a-z0-9]+", "-", plain.encode("ascii", "ignore").decode()).strip("-")
        page.screenshot(
            path=str(self.folder / f"{self.journey}-{self.count:02d}-{slug}.png"), full_page=True
        )
        assert not self.server_errors, f"{step}: server errors {self.server_errors}"
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{step} ({page.url}) scrolls sideways: {width}"
        if "/quan-tri/" not in page.url:
            small = page.evaluate(TOO_SMALL_JS)
            assert not small, f"{step} ({page.url}) tap targets under 44×44 px: {small}"
        if axe:
            known = known or {}
            violations = [
                v
                for v in axe_violations(page)
                if not (v["id"] in known and set(v["nodes"]) <= {known[v["id"]][0]})
            ]
            assert not violations, f"{step} ({page.url}) WCAG 2.1 AA: {violations}"

    def sign_in(self, url: str, username: str, password: str) -> None:
        """The sign-in page is the one address a person types."""
        page = self.page
        page.goto(f"{url}/tai-khoan/login/")
        self.check("sign-in page")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name=re.compile("Đăng nhập")).click()
        page.wait_for_load_state("load")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Đăng xuất").click()
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.context.close()
