"""The pack's editions, built from the same notebooks by one command each.

* ``make student`` -> ``build/student/``: the notebooks without worked solutions and without
  outputs, with what a student needs to run them, and a zip to upload (:mod:`.student`).
* ``make site`` -> ``build/site/``: the executed notebooks as static HTML pages for reading,
  with an index, working links, diagrams, plots and collapsed solutions (:mod:`.site`).
* ``make instructors`` rewrites the generated parts of ``INSTRUCTORS.md`` (:mod:`.instructors`).

This is tooling, not part of ``helpers/``: it reads the notebooks and the checkpoint banks, and
nothing in the pack imports it. Run it as ``python -m scripts.editions --help``.
"""
