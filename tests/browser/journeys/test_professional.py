"""A municipal neighbourhood worker looking for knowledge: searches the kennisbank, narrows the
results to a theme, opens the network's research report and downloads it."""

import re

from playwright.sync_api import expect


def test_professional_searches_filters_and_downloads_a_report(journey, live_server):
    walk = journey("professional")
    page = walk.page

    page.goto(f"{live_server.url}/nl/kennisbank/")
    walk.step("kennisbank")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennisbank")
    main = page.get_by_role("main")
    walk.fill(main.get_by_role("searchbox"), "stadsdorpen")
    walk.click(main.get_by_role("button", name="Zoeken"))
    walk.step("search results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten voor “stadsdorpen”")
    results = page.locator(".kb-result")
    expect(results.first).to_be_visible()
    term = page.locator(".kb-result__title").get_by_text("Binnenbuurt", exact=True)
    expect(term).to_have_count(1)  # a glossary term
    all_results = results.count()

    filters = page.get_by_role("group", name="Thema")
    walk.click(filters.get_by_role("checkbox", name=re.compile("Sociale cohesie")))
    walk.click(page.get_by_role("button", name="Filters toepassen"))
    walk.step("results for the theme")
    expect(page).to_have_url(re.compile(r"theme=sociale-cohesie"))
    expect(
        page.get_by_role("group", name="Thema").get_by_role(
            "checkbox", name=re.compile("Sociale cohesie")
        )
    ).to_be_checked()
    expect(term).to_have_count(0)
    assert 0 < results.count() < all_results

    walk.click(page.get_by_role("link", name=re.compile("^Stadsdorpen in beeld")))
    walk.step("the research report")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stadsdorpen in beeld: onderzoek onder 36 stadsdorpen"
    )
    expect(page.locator(".kb-meta")).to_contain_text("Sociale cohesie")
    # Wagtail serves a PDF inline: Chromium opens it (other files are downloads).
    with page.expect_response(re.compile(r"/documents/\d+/")) as response_info:
        walk.click(page.get_by_role("link", name=re.compile("^Download Stadsdorpen in beeld")))
    walk.step("the report's PDF")
    document = response_info.value
    assert document.ok and document.headers["content-type"] == "application/pdf"
    assert re.search(r"/stadsdorpen-in-beeld[^/]*\.pdf$", document.url), document.url
    # The response's body is Chromium's PDF viewer; the file itself, fetched as this visitor:
    assert page.request.get(document.url).body()[:5] == b"%PDF-"
