"""Kennisbank page types: the index, the item types (verslag, stappenplan, publicatie, artikel),
the glossary, and the "was this helpful?" votes, one module per concern; everything is importable
from ``kennisbank.models``.
"""

from .glossary import GlossaryPage, GlossaryTerm
from .index import (
    SEARCH_PARAMETERS,
    KennisbankFeaturedItem,
    KennisbankIndexPage,
    latest_items,
    theme_counts,
)
from .items import (
    ITEM_MODELS,
    ITEM_TYPES,
    ArtikelPage,
    Audience,
    KennisbankItemPage,
    KennisbankItemTag,
    Kind,
    PublicatiePage,
    StappenplanPage,
    VerslagPage,
)
from .votes import HelpfulVote

__all__ = [
    "ITEM_MODELS",
    "ITEM_TYPES",
    "SEARCH_PARAMETERS",
    "ArtikelPage",
    "Audience",
    "GlossaryPage",
    "GlossaryTerm",
    "HelpfulVote",
    "KennisbankFeaturedItem",
    "KennisbankIndexPage",
    "KennisbankItemPage",
    "KennisbankItemTag",
    "Kind",
    "PublicatiePage",
    "StappenplanPage",
    "VerslagPage",
    "latest_items",
    "theme_counts",
]
