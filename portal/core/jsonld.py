"""schema.org descriptions (JSON-LD in the page head), the same way for every page type.

`describe` builds the parts every page shares (context, type, name, address, language, the centre
as publisher, dates in ISO 8601) around the fields its type adds — an `Article`, a `Report`, later an
`Event` — and `script` renders the `<script>` element, escaped so that no value can close it.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from .addresses import page_full_url

CONTEXT = "https://schema.org"
LANGUAGE = "fr"

# Characters that must not appear raw inside <script> (the escapes of Django's json_script).
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_dates = DjangoJSONEncoder()


def _plain(value):
    """Dates as ISO 8601 text, inside lists and nested objects too; empty values are dropped from objects."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _dates.default(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item not in (None, "", [], {})}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def organization(centre, request=None):
    """A centre as a schema.org Organization, with the address of its section when it has one."""
    data = {"@type": "Organization", "name": centre.name}
    section = centre.page
    if section:
        data["url"] = page_full_url(section, request)
    return data


def describe(schema_type, *, page=None, centre=None, request=None, **fields):
    """A schema.org object of `schema_type`: the page's name, address and language, the centre as publisher,
    then `fields` (which win over the common parts). Empty values are left out, dates become ISO 8601.
    """
    data = {"@context": CONTEXT, "@type": schema_type}
    if page is not None:
        data.update(name=page.title, url=page_full_url(page, request), inLanguage=LANGUAGE)
    if centre is not None:
        data["publisher"] = organization(centre, request)
    data.update(fields)
    return _plain(data)


def script(data):
    """The `<script type="application/ld+json">` element holding `data`; a "</script>" in a value cannot close it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above
