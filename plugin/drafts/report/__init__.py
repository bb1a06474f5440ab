"""Reports from workbook tables, written to .xlsx, .docx or .md.

The face of the family: ``ReportDraft`` (kind ``report``). Its private helpers: table
detection (``tables``), statistics (``stats``), the analysis plan (``analysis``), findings
(``findings``), the model-written narrative (``narrative``), charts (``charts``) and the
three writers (``to_xlsx``, ``to_docx``, ``to_md``).
"""

from plugin.drafts.report.build import ReportDraft

__all__ = ["ReportDraft"]
