"""Which corpus workbooks may be refused, and why (tests/drafts/report/test_corpus.py).

Any workbook not named here must give a report. Generated from a run, then each group
checked: the reader refusals are corrupt, hostile, encrypted or over a limit; the reporter
refusals hold no numeric table (fewer than ten numeric cells in the whole workbook, which
the test re-counts with openpyxl).
"""

from __future__ import annotations

#: name -> (why, a phrase the reader's error must contain)
READER_REFUSES: dict[str, tuple[str, str]] = {
    "openpyxl-null_archive.xlsx": (
        "corrupt: no workbook part",
        "not a readable Excel workbook (KeyError",
    ),
    "openpyxl-null_file.xlsx": ("corrupt: empty file", "empty file"),
    "poi-clusterfuzz-testcase-minimized-POIXSSFFuzzer-5089447305609216.xlsx": (
        "corrupt: not a ZIP package",
        "not a valid Excel file (broken ZIP",
    ),
    "poi-clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx": (
        "corrupt: not a ZIP package",
        "not a valid Excel file (broken ZIP",
    ),
    "poi-invalid.xlsx": ("corrupt: no workbook part", "not a readable Excel workbook (KeyError"),
    "poi-poc-xmlbomb.xlsx": (
        "hostile: XML entity bomb",
        "refused: xl/sharedStrings.xml declares XML entities",
    ),
    "poi-protect.xlsx": ("encrypted", "encrypted or password-protected"),
    "poi-protected_passtika.xlsx": ("encrypted", "encrypted or password-protected"),
    "poi-xlsx-corrupted.xlsx": (
        "corrupt: broken XML",
        "not a readable Excel workbook (XMLSyntaxError",
    ),
}

#: name -> the reporter's exact message
REPORTER_REFUSES: dict[str, str] = {
    "poi-SampleSS.strict.xlsx": "no table with numeric columns found",
    "openpyxl-bigfoot.xlsx": "no table found in the workbook",
    "openpyxl-bug275.xlsx": "no table with numeric columns found",
    "openpyxl-comments.xlsx": "no table with numeric columns found",
    "openpyxl-complex-styles.xlsx": "no table with numeric columns found",
    "openpyxl-date_1900.xlsx": "no table found in the workbook",
    "openpyxl-date_1904.xlsx": "no table found in the workbook",
    "openpyxl-empty-no-string.xlsx": "no table found in the workbook",
    "openpyxl-libreoffice_nrt.xlsx": "no table with numeric columns found",
    "openpyxl-merge_range.xlsx": "no table with numeric columns found",
    "openpyxl-vba+comments.xlsm": "no table with numeric columns found",
    "poi-123233_charts.xlsx": "no table found in the workbook",
    "poi-57893-many-merges.xlsx": "no table found in the workbook",
    "poi-58325_db.xlsx": "no table found in the workbook",
    "poi-Booleans.xlsx": "no table with numeric columns found",
    "poi-DateFormatTests.xlsx": "no table with numeric columns found",
    "poi-MalformedSSTCount.xlsx": "no table with numeric columns found",
    "poi-TwoSheetsOneHidden.xlsx": "no table found in the workbook",
    "poi-WithDrawing.xlsx": "no table found in the workbook",
    "poi-WithEmbeded.xlsx": "no table with numeric columns found",
    "poi-WithTextBox.xlsx": "no table found in the workbook",
    "poi-atp.xlsx": "no table with numeric columns found",
    "poi-commentTest.xlsx": "no table with numeric columns found",
    "poi-headerFooterTest.xlsx": "no table found in the workbook",
    "poi-link-external-workbook-a.xlsx": "no table found in the workbook",
    "poi-noSharedStringTable.xlsx": "no table found in the workbook",
    "poi-poc-shared-strings.xlsx": "no table with numeric columns found",
    "poi-right-to-left.xlsx": "no table with numeric columns found",
    "poi-sharedhyperlink.xlsx": "no table with numeric columns found",
    "poi-workbookProtection-workbook_password-2013.xlsx": "no table found in the workbook",
    "poi-xxe_in_schema.xlsx": "no table with numeric columns found",
    "xlsxwriter-autofit01.xlsx": "no table found in the workbook",
    "xlsxwriter-background01.xlsx": "no table found in the workbook",
    "xlsxwriter-button01.xlsx": "no table found in the workbook",
    "xlsxwriter-checkbox01.xlsx": "no table found in the workbook",
    "xlsxwriter-comment01.xlsx": "no table found in the workbook",
    "xlsxwriter-data_validation01.xlsx": "no table found in the workbook",
    "xlsxwriter-default_format01.xlsx": "no table found in the workbook",
    "xlsxwriter-default_row01.xlsx": "no table with numeric columns found",
    "xlsxwriter-defined_name01.xlsx": "no table found in the workbook",
    "xlsxwriter-embed_image01.xlsx": "no table found in the workbook",
    "xlsxwriter-escapes01.xlsx": "no table with numeric columns found",
    "xlsxwriter-excel2003_style01.xlsx": "no table found in the workbook",
    "xlsxwriter-fit_to_pages01.xlsx": "no table found in the workbook",
    "xlsxwriter-format01.xlsx": "no table with numeric columns found",
    "xlsxwriter-header01.xlsx": "no table found in the workbook",
    "xlsxwriter-header_image01.xlsx": "no table found in the workbook",
    "xlsxwriter-hyperlink01.xlsx": "no table found in the workbook",
    "xlsxwriter-ignore_error01.xlsx": "no table found in the workbook",
    "xlsxwriter-image01.xlsx": "no table found in the workbook",
    "xlsxwriter-image_anchor01.xlsx": "no table found in the workbook",
    "xlsxwriter-macro01.xlsm": "no table found in the workbook",
    "xlsxwriter-merge_range01.xlsx": "no table found in the workbook",
    "xlsxwriter-object_position01.xlsx": "no table found in the workbook",
    "xlsxwriter-optimize01.xlsx": "no table with numeric columns found",
    "xlsxwriter-page_breaks01.xlsx": "no table found in the workbook",
    "xlsxwriter-print_area01.xlsx": "no table found in the workbook",
    "xlsxwriter-print_options01.xlsx": "no table found in the workbook",
    "xlsxwriter-properties01.xlsx": "no table found in the workbook",
    "xlsxwriter-repeat01.xlsx": "no table found in the workbook",
    "xlsxwriter-rich_string01.xlsx": "no table with numeric columns found",
    "xlsxwriter-set_column01.xlsx": "no table found in the workbook",
    "xlsxwriter-simple01.xlsx": "no table with numeric columns found",
    "xlsxwriter-table01.xlsx": "no table with numeric columns found",
    "xlsxwriter-textbox01.xlsx": "no table found in the workbook",
    "xlsxwriter-theme_color01.xlsx": "no table found in the workbook",
    "xlsxwriter-types01.xlsx": "no table with numeric columns found",
    "xlsxwriter-utf8_01.xlsx": "no table found in the workbook",
}
