from pathlib import Path

from stacktune.fixes.diff import render_diff
from stacktune.model.finding import Edit


def test_a_new_file_diffs_against_dev_null() -> None:
    text = render_diff(Path("."), [Edit("m/002_x.sql", 0, 0, "-- why\nCREATE INDEX i ON t (c);\n", creates=True)])
    assert text == (
        "--- /dev/null\n"
        "+++ b/m/002_x.sql\n"
        "@@ -0,0 +1,2 @@\n"
        "+-- why\n"
        "+CREATE INDEX i ON t (c);\n"
    )


def test_an_edit_diffs_against_the_file_on_disk(tmp_path: Path) -> None:
    (tmp_path / "start.sh").write_text("set -e\ncelery worker --concurrency=2")
    start = len("set -e\ncelery worker --concurrency=")
    text = render_diff(tmp_path, [Edit("start.sh", start, start + 1, "4")])
    assert text == (
        "--- a/start.sh\n"
        "+++ b/start.sh\n"
        "@@ -1,2 +1,2 @@\n"
        " set -e\n"
        "-celery worker --concurrency=2\n"
        "\\ No newline at end of file\n"
        "+celery worker --concurrency=4\n"
        "\\ No newline at end of file\n"
    )
    assert (tmp_path / "start.sh").read_text().endswith("=2")
