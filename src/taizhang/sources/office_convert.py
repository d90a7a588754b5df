"""Word 97–2003 (.doc) and WPS files, converted to .docx by LibreOffice when it is installed.

These are OLE compound files that no Python library reads well; ``soffice --headless
--convert-to docx`` does. Without LibreOffice the user is told, in Chinese, to save the file as
.docx or PDF. The conversion runs in a temporary folder and is bounded in time.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SourceError

log = logging.getLogger(__name__)

OLD_OFFICE_HINT = (
    "这是旧版 Word（.doc）或 WPS 格式的文件，不能直接读取：请在 Word 或 WPS 中另存为 .docx 或 PDF 后再导入"
    "（或在本机安装 LibreOffice，台账会自动转换）"
)
CONVERT_SECONDS = 120


def soffice() -> str | None:
    """The LibreOffice command on this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(name: str, data: bytes, suffix: str) -> bytes:
    """The .docx bytes of an old Word or WPS file, converted by LibreOffice.

    Raises:
        SourceError: LibreOffice is not installed (with the hint to save as .docx), or it failed.
    """
    command = soffice()
    if command is None:
        raise SourceError(name, OLD_OFFICE_HINT)
    with tempfile.TemporaryDirectory(prefix="taizhang-convert-") as folder:
        source = Path(folder) / f"source{suffix or '.doc'}"
        source.write_bytes(data)
        profile = Path(folder, "profile").as_uri()  # a private profile: no clash with a running office
        try:
            done = subprocess.run(
                [
                    command,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    folder,
                    str(source),
                ],
                capture_output=True,
                timeout=CONVERT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise SourceError(
                name, f"LibreOffice 转换超过 {CONVERT_SECONDS} 秒未完成，请另存为 .docx 后再导入"
            ) from exc
        converted = source.with_suffix(".docx")
        if done.returncode != 0 or not converted.exists():
            log.info("soffice failed on %s: %s", name, done.stderr.decode("utf-8", "replace"))
            raise SourceError(
                name, "LibreOffice 无法转换此文件（可能已损坏）：请在 Word 或 WPS 中另存为 .docx 后再导入"
            )
        return converted.read_bytes()
