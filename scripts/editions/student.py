"""The student edition: what a class gets to run the notebooks and do the exercises.

``build/student/`` holds the lesson notebooks without worked solutions and without outputs
(students run them and see every output appear), the ``helpers`` package and ``data`` they
import and read, the pinned requirements, a README and a Makefile written for students, the
JupyterLab settings the lab needs, and a zip of all of it to upload to a course site.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat

from scripts.editions.notebooks import find_notebooks, read, title
from scripts.editions.strip import student_notebook

STUDENT_FILES = Path(__file__).with_name("student_files")
ZIP_NAME = "rebuild-lab-student.zip"
ZIP_FOLDER = "rebuild-lab"
"""The folder a student gets when unpacking the zip."""

COPIED_FILES = ("requirements.txt", "constraints.txt", "pyproject.toml")
COPIED_FOLDERS = ("helpers", "data", "jupyterlab")
_IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".ipynb_checkpoints", "*.db", "*.db-wal", "*.db-shm", "latest"
)


def build_student(root: Path, out: Path) -> Path:
    """Write the student edition of the pack at ``root`` into ``out``; return the zip's path."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    pages = []
    for path in find_notebooks(root):
        nb = read(path)
        pages.append((path.name, title(nb, path.stem)))
        nbformat.write(student_notebook(nb), out / "notebooks" / path.name)
    for name in COPIED_FILES:
        shutil.copyfile(root / name, out / name)
    for name in COPIED_FOLDERS:
        shutil.copytree(root / name, out / name, ignore=_IGNORED)
    shutil.copyfile(STUDENT_FILES / "Makefile", out / "Makefile")
    (out / "README.md").write_text(student_readme(pages), encoding="utf-8")
    return write_zip(out)


def student_readme(pages: list[tuple[str, str]]) -> str:
    """The students' README, with the table of notebooks filled in from the notebooks."""
    rows = "\n".join(f"| `notebooks/{name}` | {heading} |" for name, heading in pages)
    template = (STUDENT_FILES / "README.md").read_text(encoding="utf-8")
    return template.replace("{notebook_table}", rows)


def write_zip(out: Path) -> Path:
    """Zip every file of the edition under one folder, in a fixed order, without the zip."""
    target = out / ZIP_NAME
    files = sorted(p for p in out.rglob("*") if p.is_file() and p != target)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, f"{ZIP_FOLDER}/{path.relative_to(out).as_posix()}")
    return target
