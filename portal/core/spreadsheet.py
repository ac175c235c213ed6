"""A table of rows as a CSV or XLSX download, for admin pages whose rows are computed, not a queryset.

(Admin listings of a queryset use Wagtail's own SpreadsheetExportMixin.) CSV is UTF-8 with a BOM
and `;`, which is what a French spreadsheet opens without a wizard.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(columns, rows, filename, file_format):
    """columns: [(key, French header)]; rows: dicts; file_format: "csv" or "xlsx"."""
    headers = [label for _key, label in columns]
    if file_format == "xlsx":
        values = [[_number(row[key]) for key, _label in columns] for row in rows]
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(headers)
        for line in values:
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        values = [[_french(row[key]) for key, _label in columns] for row in rows]
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";")
        writer.writerow(headers)
        writer.writerows(values)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _french(value):
    # A decimal comma: a French spreadsheet reads "2,1" as a number, "2.1" as text or a date.
    return str(value).replace(".", ",") if isinstance(value, Decimal | float) else value
