"""`cgraph page` in a real browser: headless Chromium driven by Selenium over file:// URLs.

One browser for the module. Each test loads a page, steps with the keys, reads the numbers a
person sees (the tape and the picture's badges), and fails on any console error. Screenshots go
to the test's temporary folder. Needs Debian's `chromium` and `chromium-driver` (`make test`
installs them when it runs as root).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from cgraph_cli.core.question import run
from cgraph_cli.views.page import write_page

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,768",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    assert Path(CHROMIUM).exists() and Path(DRIVER).exists(), (
        "the browser tests need Chromium and ChromeDriver: `make test` installs them as root "
        "(apt-get install chromium chromium-driver)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser: webdriver.Chrome, tmp_path: Path) -> Iterator[Page]:
    opened = Page(browser, tmp_path)
    yield opened
    opened.assert_no_console_errors()


class Page:
    """A page as a person uses it: keys, buttons, and the numbers on the screen."""

    def __init__(self, driver: webdriver.Chrome, folder: Path) -> None:
        self.driver, self.folder = driver, folder

    def open(self, sample: str, quiz: bool = False, **values: float) -> None:
        self.open_program((SAMPLES / f"{sample}.cg").read_text(), values, quiz, sample)

    def open_program(
        self, source: str, values: dict[str, float], quiz: bool = False, name: str = "page"
    ) -> None:
        path = self.folder / f"{name}{'-quiz' if quiz else ''}.html"
        write_page(run(source, values), path, quiz=quiz)
        self.driver.get(path.as_uri())

    def key(self, key: str, times: int = 1) -> None:
        body = self.driver.find_element(By.TAG_NAME, "body")
        for _ in range(times):
            body.send_keys(key)

    def text(self, element_id: str) -> str:
        return self.driver.find_element(By.ID, element_id).text

    def tape(self) -> dict[str, tuple[str, str]]:
        """node label -> (value, gradient) as the tape shows them."""
        script = (
            "return Array.from(document.querySelectorAll('#cg-tape tbody tr')).map("
            "  function (row) { return Array.from(row.children).map("
            "    function (cell) { return cell.innerText.trim(); }); });"
        )
        return {row[0]: (row[3], row[4]) for row in self.driver.execute_script(script)}

    def badges(self, kind: str) -> dict[str, str]:
        """node id -> the value (or gradient) written in the picture beside it."""
        script = (
            "var out = {}; document.querySelectorAll('#cg-graph g.node').forEach(function (g) {"
            f"  var b = g.querySelector('.cg-badge-{kind}');"
            "  if (b) out[g.querySelector('title').textContent] = b.textContent; });"
            "return out;"
        )
        return self.driver.execute_script(script)

    def answer(self, text: str) -> str:
        box = self.driver.find_element(By.ID, "cg-answer")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        return self.text("cg-verdict")

    def shot(self, name: str) -> Path:
        path = self.folder / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def assert_no_console_errors(self) -> None:
        errors = [e for e in self.driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors


EXTRA = [  # shapes the samples do not have
    ("no_inputs", "2 + 3", {}),
    ("square", "x*x", {"x": 3}),
    ("kink", "relu(x) + abs(y)", {"x": 0, "y": 0}),
    ("constants", "f = 2*pi*x + sqrt(2)", {"x": 1}),
    ("unused_step", "a = x + 1; f = y * 2", {"x": 1, "y": 2}),
]


def test_every_sample_steps_to_the_last_gradient(page: Page) -> None:
    """Every sample and a few odd shapes, plain and as a quiz: the last step shows every
    input's gradient as `eval` computes it, and nothing logs an error."""
    cases = [(f.stem, f.read_text(), {}) for f in sorted(SAMPLES.glob("*.cg"))] + EXTRA
    quizzes = {"mlp_loss", "logistic_neuron", *(case[0] for case in EXTRA)}
    for name, source, values in cases:
        page.open_program(source, values, name=name)
        page.key(Keys.END)
        counter = page.text("cg-counter")
        total = counter.split(" / ")[1]
        assert counter == f"Step {total} / {total}", name
        tape = page.tape()
        for input_name, grad in run(source, values).gradients.items():
            assert tape[input_name][1] == f"{grad:.4g}", (name, input_name)
        page.assert_no_console_errors()
        if name not in quizzes:
            continue
        page.open_program(source, values, quiz=True, name=name)
        page.key(Keys.ARROW_RIGHT)
        page.assert_no_console_errors()


def test_linear_regression_steps_through_the_seed_figure_number_for_number(page: Page) -> None:
    """EXAMPLES.md row 3: x=2, w=3, b=1, t=5 -> z=6, y=7, d=2, L=4; 8, 4, 12, -4."""
    page.open("linear_regression")
    assert page.text("cg-counter") == "Step 1 / 13"
    assert page.badges("value") == {"n0": "2", "n1": "3", "n2": "1", "n3": "5",
                                    "n4": "?", "n5": "?", "n6": "?", "n8": "?"}  # fmt: skip
    page.key(Keys.ARROW_RIGHT)
    assert page.text("cg-title") == "Forward: z"
    assert page.text("cg-chain") == "z = w * x = 6"
    assert page.tape()["z"] == ("6", "?") and page.tape()["y"] == ("?", "?")
    page.key(Keys.ARROW_RIGHT, 3)
    assert [page.tape()[n][0] for n in "zydL"] == ["6", "7", "2", "4"]
    page.key(Keys.ARROW_RIGHT)  # the seed
    assert page.text("cg-counter") == "Step 6 / 13"
    assert page.tape()["L"] == ("4", "1") and page.tape()["d"] == ("2", "?")
    page.key(Keys.ARROW_RIGHT)
    assert page.text("cg-text") == "∂L/∂d = ∂L/∂L · ∂L/∂d = (1)(4) = 4"
    assert page.badges("grad")["n6"] == "4"
    page.shot("backward-first-edge")
    page.key(Keys.END)
    assert page.text("cg-counter") == "Step 13 / 13"
    tape = page.tape()
    assert {n: tape[n][1] for n in "wbxt"} == {"w": "8", "b": "4", "x": "12", "t": "-4"}
    page.key(Keys.ARROW_LEFT)
    assert page.tape()["w"][1] == "8" and page.tape()["x"][1] == "?"
    page.key(Keys.HOME)
    assert page.text("cg-counter") == "Step 1 / 13"
    assert page.tape()["z"] == ("?", "?")


def test_fan_out_adds_into_the_gradient_one_path_at_a_time(page: Page) -> None:
    """EXAMPLES.md row 5: x feeds x^2 and x^3; ∂y/∂x = 6 + 27 = 33, shown as a running sum."""
    page.open("fan_out")
    page.key(Keys.END)
    page.key(Keys.ARROW_LEFT)
    assert page.tape()["x"][1] == "6 +…"
    assert "path 1 of 2" in page.text("cg-text")
    assert "a fan-out accumulates" in page.text("cg-gate")
    page.key(Keys.ARROW_RIGHT)
    assert page.text("cg-text") == (
        "∂y/∂x += ∂y/∂b · ∂b/∂x = (1)(27) = 27 (path 2 of 2: ∂y/∂x is now 33)"
    )
    assert page.tape()["x"][1] == "33"
    paths = page.driver.find_elements(By.CSS_SELECTOR, "#cg-paths li")
    assert [p.text.split("\n")[1] for p in paths] == [
        "∂y/∂a·∂a/∂x = (1)(6) = 6",
        "∂y/∂b·∂b/∂x = (1)(27) = 27",
    ]
    assert page.text("cg-path-total") == "sum of the 2 paths: ∂y/∂x = x·(3·x + 2) = 33"


def test_buttons_and_slider_step_as_the_keys_do(page: Page) -> None:
    page.open("seed_basic")
    page.driver.find_element(By.ID, "cg-next").click()
    page.driver.find_element(By.ID, "cg-next").click()
    assert page.tape()["f"] == ("-20", "?")
    page.driver.find_element(By.ID, "cg-prev").click()
    assert page.tape()["f"] == ("?", "?")
    slider = page.driver.find_element(By.ID, "cg-slider")
    assert slider.get_attribute("aria-label") == "Step"
    slider.send_keys(Keys.END)
    assert page.text("cg-counter") == "Step 8 / 8"
    assert page.tape()["x"][1] == "-4" and page.tape()["z"][1] == "5"
    page.driver.find_element(By.ID, "cg-reset").click()
    assert page.text("cg-counter").startswith("Step 1 /")


def test_the_mlp_page_reaches_every_gradient(page: Page) -> None:
    evaluation = run((SAMPLES / "mlp_loss.cg").read_text(), {})
    page.open("mlp_loss")
    page.key(Keys.END)
    tape = page.tape()
    for name, grad in evaluation.gradients.items():
        assert tape[name][1] == f"{grad:.4g}".replace("e-0", "e-"), name
    page.shot("mlp-last-step")


def test_quiz_grades_each_blank_with_a_reason(page: Page) -> None:
    page.open("linear_regression", quiz=True)
    next_button = page.driver.find_element(By.ID, "cg-next")
    page.key(Keys.ARROW_RIGHT)
    assert page.text("cg-counter") == "Step 2 / 13"
    assert not next_button.is_enabled()  # a blank holds the way
    assert page.tape()["z"][0] == "?"
    assert page.answer("-6") == "Not yet: the sign is wrong."
    assert page.answer("six").startswith("Not a number")
    assert page.answer("6") == "Correct."
    assert page.tape()["z"][0] == "6"
    for value in ("7", "2", "4"):
        page.key(Keys.ARROW_RIGHT)
        assert page.answer(value) == "Correct."
    page.key(Keys.ARROW_RIGHT, 2)  # the seed, then ∂L/∂d
    assert page.answer("4") == "Correct."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂y
    assert page.answer("4") == "Correct."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂t
    assert page.answer("4") == "Not yet: the sign is wrong."
    page.driver.find_element(By.ID, "cg-reveal").click()
    assert page.text("cg-verdict") == "Revealed: -4 (not scored)."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂z
    assert page.answer("4") == "Correct."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂b
    assert page.answer("4.000") == "Correct."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂w: upstream ∂L/∂z = 4, local x = 2
    assert page.answer("4") == (
        "Not yet: that is the upstream gradient ∂L/∂z alone: multiply it by the local "
        "gradient ∂z/∂w."
    )
    assert page.answer("2") == (
        "Not yet: that is the local gradient ∂z/∂w alone: multiply it by the upstream "
        "gradient ∂L/∂z."
    )
    assert page.answer("8") == "Correct."
    page.key(Keys.ARROW_RIGHT)  # ∂L/∂x
    assert page.answer("12") == "Correct."
    assert page.text("cg-score") == "Score: 10 / 11 right (8 at the first try), 1 revealed."
    page.shot("quiz-finished")


def test_quiz_names_a_missing_fan_out_path_and_accepts_rounded_answers(page: Page) -> None:
    page.open("fan_out", quiz=True)
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("9") == "Correct."  # a = x^2
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("27") == "Correct."
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("36") == "Correct."
    page.key(Keys.ARROW_RIGHT, 2)
    assert page.answer("1") == "Correct."  # ∂y/∂a
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("1") == "Correct."  # ∂y/∂b
    page.key(Keys.ARROW_RIGHT)  # first path into x: nothing to fill in, the product is hidden
    assert "?" in page.text("cg-text")
    assert page.tape()["x"][1] == "?"
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("27") == (
        "Not yet: x fans out to 2 places and the gradients of all of them add up: 1 of the 2 "
        "paths is missing."
    )
    assert (
        page.answer("162") == "Not yet: x fans out: the paths' gradients are added, not multiplied."
    )
    assert page.answer("33") == "Correct."


def test_quiz_accepts_the_digits_the_page_shows(page: Page) -> None:
    page.open("chain_rule", quiz=True)  # f = sin(x^2) at x = 1.5
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("2.25") == "Correct."
    page.key(Keys.ARROW_RIGHT)
    assert page.answer("0.78") == "Not yet: recompute it from the values of its inputs."
    assert page.answer("0.7781") == "Correct."  # 0.778073... to the 4 digits the page shows
