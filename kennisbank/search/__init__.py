"""The kennisbank search service: one interface, a database engine and an Elasticsearch engine."""
