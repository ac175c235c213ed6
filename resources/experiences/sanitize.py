"""HTML of the narrative sections: what the exchange format carries and what the portal stores.

Only a small, presentational subset survives (`ALLOWED_TAGS`), links keep their `href` and
nothing else, and only http, https and mailto addresses. `<b>`/`<i>` (what Wagtail's editor
stores) become `<strong>`/`<em>`, so an export followed by an import gives the same HTML.
"""

import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# b and i are let through nh3 and renamed afterwards: nh3 cannot rename tags itself.
_RENAMED = {"b": "strong", "i": "em"}
_RENAME_RE = re.compile(r"<(/?)(b|i)>")
# After nh3 a link whose address was refused is a bare <a>: keep its text, drop the tag.
_BARE_LINK_RE = re.compile(r"<a>(.*?)</a>", re.DOTALL)


def sanitize_html(html, base_url=None):
    """The allowed subset of `html`; relative links are resolved against `base_url`, or dropped without one.

    The output is stable: sanitising it again returns it unchanged.
    """
    if not html:
        return ""
    url_relative = ("rewrite_with_base", base_url) if base_url else "deny"
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS | _RENAMED.keys()),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        url_relative=url_relative,
        link_rel=None,
        strip_comments=True,
    )
    # nh3 serialises tags without attributes as exactly <b> / </b>, and escapes "<" in text.
    cleaned = _RENAME_RE.sub(lambda m: f"<{m.group(1)}{_RENAMED[m.group(2)]}>", cleaned)
    return _BARE_LINK_RE.sub(r"\1", cleaned).strip()


def export_html(stored_html, base_url=""):
    """A section as stored by Wagtail, for the exchange format.

    Internal page and document links (`<a linktype="page" id="3">`) are turned into real
    addresses first, made absolute with `base_url`; images and embeds are dropped.
    """
    if not stored_html:
        return ""
    if "linktype=" in stored_html or "embedtype=" in stored_html:
        from wagtail.rich_text import expand_db_html

        stored_html = expand_db_html(stored_html)
    return sanitize_html(stored_html, base_url=base_url or None)
