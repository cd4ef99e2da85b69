"""Small real files of each kind evidence may be: their first bytes are what counts."""

import io

import docx
import openpyxl

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def word_file() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Audit of neglect cases, June 2018")
    document.save(out)
    return out.getvalue()


def excel_file() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()
