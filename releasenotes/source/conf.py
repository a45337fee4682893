# Sphinx configuration of ganeti-dashboard's release notes.
#
# Build with `tox -e releasenotes`. reno's Sphinx extension reads the notes
# (releasenotes/notes/*.yaml) from git, not from the working tree: a note
# shows once it is committed. Write a new note with `reno new <slug>` (or
# `tox -e venv -- reno new <slug>`).

project = "ganeti-dashboard Release Notes"
copyright = "ganeti-dashboard contributors"
author = "ganeti-dashboard contributors"

extensions = [
    "reno.sphinxext",
]

master_doc = "index"
exclude_patterns = []
pygments_style = "sphinx"

# The version is pbr's, from git tags: reno names each release by its tag.
version = ""
release = ""

html_theme = "alabaster"
html_static_path = []
html_title = "ganeti-dashboard Release Notes"
