"""Relevance of the kennisbank search, measured against judged queries: MRR and nDCG@10 per kind.

The corpus is the demo content (``load_demo``), the hand-written items of
``relevance/items.toml`` and 2,000 generated items whose titles are made-up words and whose
texts mention the domain's words only in passing (what a big kennisbank holds besides the item
a reader looks for). The judgements (``relevance/judgements.toml``, >= 80 queries by kind:
plain, morphology, accents, compounds, stop words, phrases, typos, questions, tags, glossary)
say what a person would want first; anything not judged counts as not relevant.

* MRR: 1 / the rank of the first relevant result (grade >= 1) among the first 10, averaged.
* nDCG@10: discounted gain of the first 10 results (gain 2^grade - 1) against the ideal order.

Targets: MRR >= 0.95 overall and >= 0.85 for every kind. Queries that miss are printed.
"""

import io
import math
import random
import statistics
import tomllib
import uuid
from collections import defaultdict
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wagtail.models import Locale, Page

from home.models import Theme
from kennisbank.models import ITEM_MODELS, KennisbankIndexPage
from kennisbank.models import KennisbankItemPage as Item
from kennisbank.search import indexing, service
from tests.bench.bench_kennisbank_search import WORDS

DATA_DIR = Path(__file__).with_name("relevance")
NOISE_ITEMS = 2000
#: Share of a generated text's words taken from the domain's words.
NOISE_DOMAIN_SHARE = 0.02
TOP = 10


def load_items(index):
    """The hand-written items, published (so indexed as editors' items are)."""
    data = tomllib.loads((DATA_DIR / "items.toml").read_text(encoding="utf-8"))
    themes = {theme.slug: theme for theme in Theme.objects.filter(locale=index.locale)}
    for spec in data["item"]:
        model = ITEM_MODELS[spec["kind"]]
        page = model(
            title=spec["title"], slug=spec["key"], summary_text=spec["text"], locale=index.locale
        )
        index.add_child(instance=page)
        page.themes.set([themes[slug] for slug in spec.get("themes", []) if slug in themes])
        page.tags.set(spec.get("tags", []))
        page.save_revision().publish()


def add_noise(index, rng):
    """Generated items under the index, inserted in bulk and indexed by the rebuild."""
    syllables = [
        "ba",
        "be",
        "bo",
        "bu",
        "da",
        "de",
        "di",
        "do",
        "ge",
        "go",
        "ka",
        "ke",
        "ko",
        "la",
        "le",
        "lo",
        "ma",
        "me",
        "mo",
        "na",
        "ne",
        "no",
        "pa",
        "pe",
        "ra",
    ]
    made_up = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)}
    )
    content_type = ContentType.objects.get_for_model(ITEM_MODELS["artikel"])
    start = index.get_children().count()
    now = timezone.now()
    base_rows, specific = [], []
    for number in range(NOISE_ITEMS):
        title = " ".join(rng.choices(made_up, k=rng.randint(2, 4))).capitalize()
        words = [
            rng.choice(WORDS) if rng.random() < NOISE_DOMAIN_SHARE else rng.choice(made_up)
            for _ in range(rng.randint(60, 200))
        ]
        slug = f"ruis-{number}"
        base_rows.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, index.depth + 1, start + number + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=content_type,
                locale=index.locale,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                translation_key=uuid.uuid4(),
            )
        )
        specific.append(
            ITEM_MODELS["artikel"](title=title, summary_text=" ".join(words)[:1000], kind="artikel")
        )
    created = Page.objects.bulk_create(base_rows, batch_size=500)
    Page.objects.filter(pk=index.pk).update(numchild=start + NOISE_ITEMS)
    for base, page in zip(created, specific, strict=True):
        page.pk = page.page_ptr_id = page.kennisbankitempage_ptr_id = base.pk
    model = ITEM_MODELS["artikel"]
    for batch in range(0, len(specific), 500):  # SQLite limits the variables per statement
        Item.objects._insert(specific[batch : batch + 500], fields=Item._meta.local_concrete_fields)
        model.objects._insert(
            specific[batch : batch + 500], fields=model._meta.local_concrete_fields
        )


def hit_key(hit):
    """``term:<slug>`` for a glossary term, else the page's slug (the last step of its URL)."""
    if "#begrip-" in hit.url:
        return "term:" + hit.url.split("#begrip-", 1)[1]
    return hit.url.rstrip("/").rsplit("/", 1)[-1]


def reciprocal_rank(keys, relevant):
    for rank, key in enumerate(keys[:TOP], start=1):
        if relevant.get(key, 0) >= 1:
            return 1 / rank
    return 0.0


def ndcg(keys, relevant):
    gains = [2 ** relevant.get(key, 0) - 1 for key in keys[:TOP]]
    dcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))
    ideal = sorted((2**grade - 1 for grade in relevant.values()), reverse=True)[:TOP]
    best = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, start=1))
    return dcg / best if best else 0.0


def run(report):
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    call_command("load_demo", stdout=io.StringIO())
    index = KennisbankIndexPage.objects.get(locale=Locale.objects.get(language_code="nl"))
    load_items(index)
    add_noise(index, random.Random(20261201))
    indexing.rebuild(indexing.live_items())

    judgements = tomllib.loads((DATA_DIR / "judgements.toml").read_text(encoding="utf-8"))
    per_kind = defaultdict(lambda: {"rr": [], "ndcg": []})
    misses = []
    for judged in judgements["query"]:
        results = service.search(
            service.SearchQuery(text=judged["q"], language="nl", user=AnonymousUser())
        )
        keys = [hit_key(hit) for hit in results.hits]
        rr, gain = reciprocal_rank(keys, judged["relevant"]), ndcg(keys, judged["relevant"])
        per_kind[judged["kind"]]["rr"].append(rr)
        per_kind[judged["kind"]]["ndcg"].append(gain)
        if rr < 1:
            misses.append(f"{judged['kind']}: {judged['q']!r} -> {keys[:5]}")
    all_rr = [value for kind in per_kind.values() for value in kind["rr"]]
    all_ndcg = [value for kind in per_kind.values() for value in kind["ndcg"]]
    report(f"judged queries ({vendor})", len(all_rr), "queries", ">= 80")
    report(f"MRR, all queries ({vendor})", statistics.mean(all_rr), "", ">= 0.95")
    report(f"nDCG@10, all queries ({vendor})", statistics.mean(all_ndcg), "")
    for kind, values in per_kind.items():
        report(f"MRR, {kind} ({vendor})", statistics.mean(values["rr"]), "", ">= 0.85")
        report(f"nDCG@10, {kind} ({vendor})", statistics.mean(values["ndcg"]), "")
    for miss in misses:
        print(f"   first result not relevant: {miss}")
