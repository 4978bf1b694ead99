"""Offline Mermaid for the reading site, taken from the JupyterLab installed in the venv.

The reading site must draw notebook 00's diagrams without a network, and the pack should not
grow a vendored copy of Mermaid. JupyterLab already ships Mermaid (MIT; its other bundled
packages are MIT, BSD, ISC or Apache/MPL licensed, all of which allow redistribution with their
notices), but as chunks of its rspack bundle rather than as one script. This module finds, in
the installed bundle:

* the chunks and module id JupyterLab itself loads to get Mermaid (read from its own
  ``ensureMermaid`` code in ``jlab_core``),
* every chunk those chunks may load later (diagram types are loaded on demand),
* the shared modules among them that JupyterLab's module federation would supply, with the
  fallback chunk that holds each one,

and copies exactly those chunks, a manifest, a small loader (``assets/lab-mermaid.js``, which
plays the part of the bundler's runtime) and the licence notices into the site.

If a JupyterLab upgrade changes the bundle's shape, :func:`find_bundle` raises
:class:`MermaidBundleError` naming what it could not find, instead of building a site whose
diagrams silently stay blank.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

ASSETS = Path(__file__).with_name("assets")

_CHUNK_FILE = re.compile(r"^(\d+)\.[0-9a-f]+\.js$")
_CHUNK_GLOBAL = re.compile(r"\(self\.(\w+)=self\.\1\|\|\[\]\)\.push")
_ENSURE_MERMAID = re.compile(
    # JupyterLab reads Mermaid's package.json for its version, then loads Mermaid itself.
    r"\.version;let \w+=\w+=\(await Promise\.all\(\[((?:\w\.e\(\d+\),?)+)\]\)"
    r"\.then\(\w\.bind\(\w,(\d+)\)\)\)\.default"
)
_LOAD_CHUNK = re.compile(r"[\w$]\.e\((\d+)\)")
_CONSUMES_MAP = re.compile(r"consumesLoadingData=\{chunkMapping:\{([^}]*)\}")
_CONSUMES_ENTRY = re.compile(r"(\d+):\[([^\]]*)\]")
_CONSUMED_MODULE = re.compile(
    r"(\d+):\{shareScope:\"[^\"]*\",shareKey:\"([^\"]+)\",[^{}]*?"
    r"fallback:\(\)=>(.*?)\.then\(\(\)=>\(\)=>__webpack_require__\((\d+)\)\)"
)


class MermaidBundleError(RuntimeError):
    """The installed JupyterLab bundle does not have the shape this module expects."""


@dataclass(frozen=True)
class MermaidBundle:
    """What the site needs from JupyterLab's bundle to load Mermaid."""

    static_dir: Path
    chunk_global: str
    entry_chunks: tuple[int, ...]
    entry_module: int
    files: dict[int, str]
    """Chunk id -> file name, for every chunk Mermaid may load."""
    consumes: dict[int, list[tuple[int, tuple[int, ...], int]]]
    """Chunk id -> [(shared module id, fallback chunks, module that provides it)]."""


def lab_static_dir() -> Path:
    """JupyterLab's built assets in this environment (``<prefix>/share/jupyter/lab/static``)."""
    path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    if not path.is_dir():
        raise MermaidBundleError(f"JupyterLab's static assets are not at {path}")
    return path


def find_bundle(static_dir: Path | None = None) -> MermaidBundle:
    """Read JupyterLab's bundle and work out which chunks hold Mermaid and what they need."""
    static_dir = static_dir or lab_static_dir()
    chunk_files = {
        int(match.group(1)): path.name
        for path in static_dir.glob("*.js")
        if (match := _CHUNK_FILE.match(path.name))
    }
    core = _read_one(static_dir, "jlab_core.*.js")
    entry = _ENSURE_MERMAID.search(core)
    if entry is None:
        raise MermaidBundleError(
            "could not find where JupyterLab loads Mermaid in jlab_core: "
            "the bundle's shape changed; update scripts/editions/mermaid.py"
        )
    entry_chunks = tuple(int(n) for n in _LOAD_CHUNK.findall(entry.group(1)))
    consumed = _consumed_modules(_read_one(static_dir, "main.*.js"))
    files, consumes = _closure(static_dir, entry_chunks, chunk_files, consumed)
    global_name = _CHUNK_GLOBAL.search((static_dir / next(iter(files.values()))).read_text())
    if global_name is None:
        raise MermaidBundleError("could not read the bundle's chunk array name")
    return MermaidBundle(
        static_dir=static_dir,
        chunk_global=global_name.group(1),
        entry_chunks=entry_chunks,
        entry_module=int(entry.group(2)),
        files=files,
        consumes=consumes,
    )


def _read_one(static_dir: Path, pattern: str) -> str:
    found = sorted(static_dir.glob(pattern))
    if len(found) != 1:
        raise MermaidBundleError(f"expected one {pattern} in {static_dir}, found {len(found)}")
    return found[0].read_text(encoding="utf-8")


def _consumed_modules(main: str) -> dict[int, list[tuple[int, tuple[int, ...], int]]]:
    """Chunk id -> the shared modules it stands for, each with its fallback chunks and module."""
    mapping = _CONSUMES_MAP.search(main)
    if mapping is None:
        raise MermaidBundleError("could not find the shared-module table in JupyterLab's main.js")
    fallbacks = {
        int(m.group(1)): (tuple(int(n) for n in _LOAD_CHUNK.findall(m.group(3))), int(m.group(4)))
        for m in _CONSUMED_MODULE.finditer(main)
    }
    table: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}
    for entry in _CONSUMES_ENTRY.finditer(mapping.group(1)):
        modules = [int(n.strip('"')) for n in entry.group(2).split(",") if n.strip()]
        table[int(entry.group(1))] = [
            (module, *fallbacks[module]) for module in modules if module in fallbacks
        ]
    return table


def _closure(
    static_dir: Path,
    start: tuple[int, ...],
    chunk_files: dict[int, str],
    consumed: dict[int, list[tuple[int, tuple[int, ...], int]]],
) -> tuple[dict[int, str], dict[int, list[tuple[int, tuple[int, ...], int]]]]:
    """Every chunk reachable from ``start`` through on-demand loads and shared-module fallbacks."""
    files: dict[int, str] = {}
    consumes: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}
    todo, seen = list(start), set()
    while todo:
        chunk = todo.pop()
        if chunk in seen:
            continue
        seen.add(chunk)
        if chunk in consumed:
            consumes[chunk] = consumed[chunk]
            todo.extend(c for _, fallback, _ in consumed[chunk] for c in fallback)
        if chunk in chunk_files:
            files[chunk] = chunk_files[chunk]
            todo.extend(
                int(n) for n in _LOAD_CHUNK.findall((static_dir / files[chunk]).read_text())
            )
        elif chunk not in consumed:
            raise MermaidBundleError(f"chunk {chunk} is neither a file nor a shared module")
    return dict(sorted(files.items())), dict(sorted(consumes.items()))


def install(bundle: MermaidBundle, target: Path) -> None:
    """Copy the chunks, the manifest, the loader and the licence notices into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in bundle.files.values():
        shutil.copyfile(bundle.static_dir / name, target / name)
    manifest = {
        "chunkGlobal": bundle.chunk_global,
        "entryChunks": list(bundle.entry_chunks),
        "entryModule": bundle.entry_module,
        "files": {str(k): v for k, v in bundle.files.items()},
        "consumes": {
            str(chunk): [[module, list(fallback), provider] for module, fallback, provider in items]
            for chunk, items in bundle.consumes.items()
        },
    }
    (target / "manifest.js").write_text(
        "window.LAB_MERMAID = " + json.dumps(manifest, indent=1) + ";\n", encoding="utf-8"
    )
    shutil.copyfile(ASSETS / "lab-mermaid.js", target / "lab-mermaid.js")
    _copy_licences(bundle, target)


def _copy_licences(bundle: MermaidBundle, target: Path) -> None:
    licences = bundle.static_dir / "third-party-licenses.json"
    if licences.exists():
        shutil.copyfile(licences, target / "third-party-licenses.json")
    try:
        dist = distribution("jupyterlab")
    except PackageNotFoundError:  # pragma: no cover - the site is built where JupyterLab is
        return
    for file in dist.files or ():
        if file.name == "LICENSE":
            shutil.copyfile(file.locate(), target / "JUPYTERLAB-LICENSE")
            break
    (target / "README.txt").write_text(
        f"These files are chunks of JupyterLab {dist.version}'s own build, copied unchanged so\n"
        "that the reading site can draw Mermaid diagrams without a network.\n"
        "JupyterLab is BSD-3-Clause licensed (JUPYTERLAB-LICENSE); the packages bundled in the\n"
        "chunks, Mermaid (MIT) among them, are listed with their licences in\n"
        "third-party-licenses.json. lab-mermaid.js and manifest.js are the pack's own loader.\n",
        encoding="utf-8",
    )
