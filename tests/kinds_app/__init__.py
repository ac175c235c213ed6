"""A test-only content kind: proves a page type plugs into search, the library and dossiers by declaring itself."""
