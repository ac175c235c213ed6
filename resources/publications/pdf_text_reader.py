"""Reads a PDF's text in a process of its own: `python pdf_text_reader.py MAX_PAGES MAX_CHARS < file.pdf`.

Run by services.py with a timeout, so a PDF that makes pypdf loop or crawl is killed with its
process instead of holding a worker. Imports nothing from the portal (no Django start-up).
Prints JSON: {"text": …} or {"encrypted": true}; a damaged file exits 1 with the reason on stderr.
"""

import io
import json
import sys
from itertools import islice

from pypdf import PdfReader


def opens_without_password(reader):
    # Many "protected" PDFs only restrict printing or copying and open with an empty user password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # missing crypto backend, unsupported algorithm…
        return False


def pdf_text(data, max_pages, max_chars):
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not opens_without_password(reader):
        return {"encrypted": True}
    parts, length = [], 0
    for page in islice(reader.pages, max_pages):
        parts.append(page.extract_text() or "")
        length += len(parts[-1])
        if length >= max_chars:
            break
    return {"text": "\n\n".join(parts)}


if __name__ == "__main__":
    max_pages, max_chars = int(sys.argv[1]), int(sys.argv[2])
    try:
        answer = pdf_text(sys.stdin.buffer.read(), max_pages, max_chars)
    except Exception as exc:  # pypdf raises many exception types on damaged files
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:300])
        sys.exit(1)
    sys.stdout.write(json.dumps(answer))
