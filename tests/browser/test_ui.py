"""The public pages in a real browser (Debian's Chromium through Playwright), on the demo content.

The server reads the committed demo content only (see conftest.py): these tests never write.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COUNT = re.compile(r"(\d+) résultats?")


def first_sheet_url(page):
    """The first experience sheet of the library (demo content), found as a visitor would."""
    page.goto("/bibliotheque/?type=fiche-experience")
    href = page.locator(".result-list .result h3 a").first.get_attribute("href")
    assert href and href.startswith("/centres/")
    return href


def result_count(page):
    match = COUNT.fullmatch(page.locator("#titre-resultats").inner_text().strip())
    assert match, page.locator("#titre-resultats").inner_text()
    return int(match.group(1))


# ---- Keyboard ---------------------------------------------------------------------------------


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
            return {text: el.textContent.trim(), href: el.getAttribute("href"), outline: style.outlineStyle,
                    outlineWidth: parseFloat(style.outlineWidth), inViewport: box.left >= 0 && box.top >= 0};
        }"""
    )
    assert focused["text"] == "Aller au contenu"
    assert focused["href"] == "#contenu"
    assert focused["outline"] != "none" and focused["outlineWidth"] > 0, focused  # focus is visible
    assert focused["inViewport"], "the focused skip link must be shown on screen"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert page.url.endswith("#contenu")
    # The next Tab continues from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('contenu').contains(document.activeElement)")


# ---- Search page enhancements -----------------------------------------------------------------


def test_suggestions_are_an_accessible_combobox_driven_by_the_keyboard(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/recherche/")
    field = page.locator("#q")
    expect(field).to_have_attribute("role", "combobox")
    field.press_sequentially("jard")

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(listbox).to_have_id("q-suggestions")
    expect(field).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    assert all("jard" in text.lower() for text in options.all_inner_texts())

    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", "q-suggestion-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    link = options.first.locator("a")
    title = link.evaluate("a => a.firstChild.textContent").strip()  # the title, before the centre's name
    expect(link.locator(".suggestion-centre")).to_have_text(re.compile(r"^ — \S"))
    href = link.get_attribute("href")

    with page.expect_navigation() as navigation:
        field.press("Enter")
    response = navigation.value
    assert response.status == 200
    assert page.url.endswith(href)
    expect(page.locator("h1")).to_have_text(title)
    assert errors == []


def test_ticking_a_facet_updates_the_results_in_place_and_the_url(page):
    page.goto("/recherche/?q=jardins")
    before = result_count(page)
    facet = page.locator(".facet input[name=centre]").first
    centre = facet.get_attribute("value")
    label = facet.locator("xpath=..").inner_text()  # "Résovilles (2)"
    expected = int(re.search(r"\((\d+)\)", label).group(1))
    assert 0 < expected < before, (label, before)
    page.evaluate("window.__marker = 1")

    facet.check()
    page.wait_for_function("location.search.includes('centre=')")
    expect(page.locator("#titre-resultats")).to_have_text(f"{expected} résultat{'s' if expected > 1 else ''}")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded: facets must apply in place"
    assert f"centre={centre}" in page.url and "q=jardins" in page.url
    expect(page.locator(f".facet input[name=centre][value='{centre}']")).to_be_checked()
    centre_name = label.rsplit("(", 1)[0].strip()
    metas = page.locator(".result-list .result .meta").all_inner_texts()
    assert len(metas) == expected, metas
    assert all(centre_name in meta or centre in meta.split(" — ") for meta in metas), metas


def test_ticking_a_facet_with_the_keyboard_keeps_focus_in_the_filters(page):
    page.goto("/recherche/?q=jardins")
    facet = page.locator(".facet input[name=centre]").first
    facet.focus()
    page.keyboard.press("Space")
    page.wait_for_function("location.search.includes('centre=')")  # set once the results are replaced
    assert page.evaluate("document.activeElement !== document.body"), "focus fell back to <body>"


def test_back_after_a_facet_shows_the_previous_results(page):
    page.goto("/recherche/?q=jardins")
    before = result_count(page)
    page.locator(".facet input[name=centre]").first.check()
    page.wait_for_function("location.search.includes('centre=')")
    assert result_count(page) < before  # search.js updates the URL after the results
    page.go_back()
    page.wait_for_function("!location.search.includes('centre=')")
    expect(page.locator("#titre-resultats")).to_have_text(f"{before} résultats", timeout=1000)


# ---- Without JavaScript -----------------------------------------------------------------------


def test_search_and_library_filters_work_without_javascript(context_factory):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto("/recherche/")
    page.locator("#q").fill("jardins")
    with page.expect_navigation():
        page.locator(".search-form button[type=submit]").click()
    assert "q=jardins" in page.url
    total = result_count(page)
    assert total > 0 and page.locator(".result-list .result").count() == min(total, 20)
    assert page.locator("#q-suggestions").count() == 0  # nothing was enhanced

    facet = page.locator(".facet input[name=centre]").first
    expected = int(re.search(r"\((\d+)\)", facet.locator("xpath=..").inner_text()).group(1))
    facet.check()
    with page.expect_navigation():
        page.locator(".filters button[type=submit]").click()
    assert f"centre={facet.get_attribute('value')}" in page.url
    assert result_count(page) == expected

    page.goto("/bibliotheque/")
    everything = int(page.locator("#titre-resultats").inner_text().split()[0])
    page.locator("#filtre-theme").select_option("sante")
    with page.expect_navigation():
        page.get_by_role("button", name="Appliquer les filtres").click()
    assert "theme=sante" in page.url
    filtered = int(page.locator("#titre-resultats").inner_text().split()[0])
    assert 0 < filtered < everything
    assert 0 < page.locator(".result-list .result").count() <= filtered
    expect(page.locator("#filtre-theme")).to_have_value("sante")
    expect(page.get_by_role("link", name="Tout effacer")).to_be_visible()


# ---- Accessibility smoke check ----------------------------------------------------------------

CONTROL_ROLES = {
    "textbox",
    "searchbox",
    "combobox",
    "checkbox",
    "radio",
    "button",
    "listbox",
    "spinbutton",
    "slider",
    "switch",
}

# Per visible text element: its colour and effective background (canvas-normalised, so any CSS
# colour syntax works), blended when translucent; elements over a background image are reported.
CONTRAST_JS = """
() => {
  const canvas = document.createElement("canvas"); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (c) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data; return [r, g, b, a / 255]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  function background(el) {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null;
      const color = rgba(style.backgroundColor);
      if (color[3] > 0) { layers.push(color); if (color[3] >= 1) break; }
    }
    return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1]);
  }
  const results = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    if (style.display === "none" || style.visibility !== "visible" || +style.opacity === 0) continue;
    if (box.width <= 1 || box.height <= 1 || el.closest("[hidden], [aria-hidden=true], .visually-hidden")) continue;
    const bg = background(el);
    if (!bg) { results.push({element: describe(el), unknown: true}); continue; }
    const fg = over(rgba(style.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    results.push({element: describe(el), text: el.textContent.trim().slice(0, 40), color: style.color,
                  background: "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")",
                  ratio: (l1 + 0.05) / (l2 + 0.05), required: large ? 3 : 4.5, link: !!el.closest("a")});
  }
  return results;
}
"""


def unnamed_controls(page):
    """Form controls without an accessible name, as Chromium's accessibility tree computes it."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        missing = []
        for node in nodes:
            role = node.get("role", {}).get("value")
            name = (node.get("name") or {}).get("value", "")
            if node.get("ignored") or role not in CONTROL_ROLES or name.strip():
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
            attributes = dict(zip(described["attributes"][::2], described["attributes"][1::2], strict=True))
            missing.append(f"<{described['localName']} {attributes}> (role {role})")
        return missing
    finally:
        cdp.detach()


PAGES = {
    "home": "/",
    "library": "/bibliotheque/",
    "search": "/recherche/?q=jardins",
    "agenda": "/agenda/",
    "newsletters": "/lettres/",
    "dashboard": f"/tableau-de-bord/{datetime.date.today().year - 2}/",  # published by the demo
}


def accessibility_problems(page):
    """What the smoke check finds on the current page, one readable line per problem."""
    problems = []
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1 elements: {page.locator('h1').all_inner_texts()}")
    if page.evaluate("document.documentElement.lang") != "fr":
        problems.append('<html> must have lang="fr"')
    for role in ("banner", "main", "contentinfo"):
        if page.get_by_role(role).count() != 1:
            problems.append(f"landmark {role}: {page.get_by_role(role).count()} found, expected 1")
    problems += [f"no accessible name: {control}" for control in unnamed_controls(page)]
    problems += [
        f"img without alt: {src}"
        for src in page.eval_on_selector_all("img:not([alt])", "imgs => imgs.map(i => i.getAttribute('src'))")
    ]
    texts = page.evaluate(CONTRAST_JS)
    measured = [t for t in texts if not t.get("unknown")]
    assert measured and any(t["link"] for t in measured), "the contrast check measured no text"
    problems += [
        f"contrast {t['ratio']:.2f}:1 < {t['required']}:1 on {t['element']} « {t['text']} » "
        f"({t['color']} on {t['background']})"
        for t in measured
        if t["ratio"] < t["required"]
    ]
    problems += [
        f"text over a background image (contrast not measured): {t['element']}" for t in texts if t.get("unknown")
    ]
    return problems


@pytest.mark.parametrize("which", ["home", "library", "sheet", "search", "agenda", "newsletters", "dashboard"])
def test_accessibility_smoke_check(page, which):
    response = page.goto(first_sheet_url(page) if which == "sheet" else PAGES[which])
    assert response.status == 200
    problems = accessibility_problems(page)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def test_the_accessibility_check_catches_each_kind_of_problem(page):
    """The smoke check itself can fail: break a page in the browser (nothing is saved) and look."""
    page.goto("/")
    assert accessibility_problems(page) == []
    page.evaluate(
        """() => {
            document.documentElement.lang = "en";
            const main = document.getElementById("contenu");
            main.insertAdjacentHTML("beforeend",
                '<h1>Second</h1><input id="sans-nom"><img src="/static/img/favicon.svg">' +
                '<p style="color:#999">Texte trop pâle</p><a href="/" style="color:#aaa">lien pâle</a>');
            const footer = document.querySelector("footer"), plain = document.createElement("div");
            plain.append(...footer.childNodes);
            footer.replaceWith(plain);
        }"""
    )
    found = "\n".join(accessibility_problems(page))
    for expected in (
        "2 h1 elements",
        'lang="fr"',
        "landmark contentinfo: 0 found",
        "no accessible name: <input {'id': 'sans-nom'}>",
        "img without alt: /static/img/favicon.svg",
        "on p « Texte trop pâle » (rgb(153, 153, 153) on rgb(255, 255, 255))",
        "on a « lien pâle »",
    ):
        assert expected in found, f"{expected!r} not reported in:\n{found}"


# ---- Screenshots (looked at by a person; kept out of the work tree) ---------------------------


def test_screenshots_of_the_search_page_and_a_sheet(page, screenshot_dir):
    shots = {"search": "/recherche/?q=jardins", "sheet": first_sheet_url(page)}
    for name, url in shots.items():
        page.goto(url)
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000, f"{path} looks empty"
        print(f"screenshot: {path}")
