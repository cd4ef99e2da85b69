"""`manage.py export_plan`: a plan to a PDF file, with clear errors and exit codes."""

import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[1]


def test_export_plan_writes_a_pdf_and_says_so(stockton, tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    call_command("export_plan", str(stockton.pk), "-o", str(out))
    assert pypdf.PdfReader(out).metadata.title.startswith(stockton.title)
    assert f"Wrote {out}" in capsys.readouterr().out


def test_an_unknown_plan_id_is_a_clear_error_listing_the_plans(stockton, tmp_path):
    with pytest.raises(CommandError, match=r"There is no plan with id 999\. Plans: 1 ") as error:
        call_command("export_plan", "999", "-o", str(tmp_path / "plan.pdf"))
    assert error.value.returncode == 1
    assert not (tmp_path / "plan.pdf").exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing-folder/plan.pdf", "the folder .* does not exist"),
        (".", "is a folder: give a file name"),
    ],
)
def test_an_unwritable_path_is_a_clear_error(stockton, tmp_path, path, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_plan", str(stockton.pk), "-o", str(tmp_path / path))


def test_only_known_formats_and_past_dates_are_accepted(stockton, tmp_path):
    out = str(tmp_path / "plan.pdf")
    with pytest.raises(CommandError, match="invalid choice: 'odt'"):
        call_command("export_plan", str(stockton.pk), "-o", out, "--format", "odt")
    with pytest.raises(CommandError, match="is not a date: give it as YYYY-MM-DD"):
        call_command("export_plan", str(stockton.pk), "-o", out, "--as-at", "12/07/2018")
    with pytest.raises(CommandError, match="is in the future"):
        call_command("export_plan", str(stockton.pk), "-o", out, "--as-at", "2999-01-01")


def test_the_format_follows_the_file_name_and_only_pdf_goes_back_in_time(stockton, tmp_path):
    out = tmp_path / "plan.docx"
    call_command("export_plan", str(stockton.pk), "-o", str(out))
    assert out.read_bytes().startswith(b"PK")  # a Word file is a zip
    with pytest.raises(CommandError, match="--as-at works only with --format pdf"):
        call_command("export_plan", str(stockton.pk), "-o", str(out), "--as-at", "2018-07-31")


def test_errors_exit_non_zero_from_the_shell(tmp_path):
    """The exit code a script or cron job sees (checked before the database is touched)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "export_plan", "1", "-o", str(tmp_path / "no/plan.pdf")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"JTAI_TESTING": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    assert "CommandError: Cannot write" in result.stderr
    assert "does not exist" in result.stderr
