"""Signals the content packages send and the search package listens to (no import between them)."""

from django.dispatch import Signal

# What search knows of these pages changed without a publish (the text of an attached document
# was extracted, say). Arguments: page_ids.
search_document_changed = Signal()
