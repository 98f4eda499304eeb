"""Models of the search service (index entries, synonyms, search statistics)."""
