"""StreamField blocks, split by family; `BODY_BLOCKS` is what page bodies accept."""

from .media import ImageBlock, VideoBlock
from .text import CalloutBlock, HeadingBlock, LinkBlock, QuoteBlock, rich_text_block

BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", rich_text_block()),
    ("quote", QuoteBlock()),
    ("callout", CalloutBlock()),
    ("link", LinkBlock()),
    ("image", ImageBlock()),
    ("video", VideoBlock()),
]

__all__ = ["BODY_BLOCKS"]
