"""The expert consultation report (咨询论证报告) as a Word document in 公文 layout.

The report is laid out by the notice writer (``docx.write_notice_docx``): the 承办单位's mark and
the red line, the title, the addressee, the opening, then numbered sections: the panel, each
opinion with its adoption and reason and the feedback, the summary, the rules kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ..services.consultation_views import ConsultationReport
from .docx import NoticeFile, write_notice_docx


def write_consultation_report(report: ConsultationReport, path: str | Path | BinaryIO) -> NoticeFile:
    """Write ``report`` to ``path`` (or a binary stream, for a web download) as a .docx."""
    return write_notice_docx(report, path, issuer=report.issuer)
