# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""The guides' pictures, the pages and tools/doc-screenshots' map agree.

Neither side may go stale silently: every picture a page shows is in
doc/source/images/ and in the map (so tools/doc-screenshots renews it),
every picture of the map is shown by a page, has alt text, and names a
browser test that exists (a renamed test would leave the picture to age).
"""

import ast
import os
import re
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "lib"))
import doc_screenshots  # noqa: E402

SOURCE = os.path.join(REPO, "doc", "source")
IMAGES = os.path.join(SOURCE, "images")
DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. (?:image|figure):: *(?P<path>\S+)")


def _references():
    """[(rst file, image path relative to doc/source, options text)]: the
    options are the lines indented under the directive up to the first
    blank line.
    """
    found = []
    for folder, _dirs, files in os.walk(SOURCE):
        for name in sorted(files):
            if not name.endswith(".rst"):
                continue
            rst = os.path.join(folder, name)
            with open(rst, encoding="utf-8") as f:
                lines = f.read().splitlines()
            for number, line in enumerate(lines):
                match = DIRECTIVE.match(line)
                if not match:
                    continue
                indent = len(match.group("indent"))
                options = []
                for following in lines[number + 1:]:
                    if not following.strip() or \
                            len(following) - len(following.lstrip()) <= indent:
                        break
                    options.append(following.strip())
                target = match.group("path")
                if target.startswith("/"):
                    resolved = target.lstrip("/")
                else:
                    resolved = os.path.relpath(
                        os.path.normpath(os.path.join(folder, target)),
                        SOURCE)
                found.append((os.path.relpath(rst, SOURCE), resolved,
                              "\n".join(options)))
    return found


def _shown():
    return {path for _rst, path, _options in _references()}


def _images_path(name):
    return os.path.join("images", name)


def test_pages_show_pictures():
    assert len(_shown()) >= 20


def test_every_picture_a_page_shows_is_there_and_mapped():
    shots = doc_screenshots.SHOTS
    for rst, path, _options in _references():
        assert os.path.isfile(os.path.join(SOURCE, path)), \
            "%s shows %s, which does not exist" % (rst, path)
        assert os.path.dirname(path) == "images" and \
            os.path.basename(path) in shots, (
                "%s shows %s, which tools/lib/doc_screenshots.py does not "
                "map to a screenshot: it would never be renewed" % (rst, path))


def test_every_picture_has_alt_text():
    for rst, path, options in _references():
        assert re.search(r":alt: *\S", options), \
            "%s shows %s without :alt: text" % (rst, path)


def test_every_mapped_picture_is_shown_and_committed():
    shown = _shown()
    for name in doc_screenshots.SHOTS:
        assert _images_path(name) in shown, \
            "images/%s is in the map but no page shows it" % name
        assert os.path.isfile(os.path.join(IMAGES, name)), \
            "images/%s is missing: run tools/doc-screenshots" % name


def test_no_other_file_in_images():
    shots = doc_screenshots.SHOTS
    extra = sorted(set(os.listdir(IMAGES)) - set(shots))
    assert not extra, "not in tools/lib/doc_screenshots.py: %s" % extra


def test_pictures_stay_small():
    total = sum(os.path.getsize(os.path.join(IMAGES, name))
                for name in os.listdir(IMAGES))
    assert total < 3 * 1024 * 1024


def _test_functions(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_")}


def test_every_screenshot_names_a_browser_test_that_exists():
    """<test file>/<test>-<user or label>.png: the file and a test whose
    name (parameters made ``_x_``) begins the picture's name.
    """
    for name, shot in doc_screenshots.SHOTS.items():
        _folder, _, picture = shot.path.partition("/")
        path = os.path.join(REPO, shot.test_file)
        assert os.path.isfile(path), "%s: no %s" % (name, shot.test_file)
        assert any(picture.startswith(test + "-") or
                   picture.startswith(test + "_")
                   for test in _test_functions(path)), \
            "%s: no test in %s took %s" % (name, shot.test_file, picture)
    assert doc_screenshots.test_files() == sorted(
        {shot.test_file for shot in doc_screenshots.SHOTS.values()})


@pytest.fixture
def screenshots(tmp_path):
    from PIL import Image

    folder = tmp_path / "screenshots" / "test_x"
    folder.mkdir(parents=True)
    Image.new("RGB", (40, 100), "white").save(folder / "test_a-admin.png")
    return tmp_path / "screenshots"


def test_copy_crops_and_removes_other_pictures(screenshots, tmp_path):
    from PIL import Image

    images = tmp_path / "images"
    images.mkdir()
    (images / "old.png").write_bytes(b"stale")
    shots = {"a.png": doc_screenshots.Shot("test_x/test_a-admin.png", 30)}
    assert doc_screenshots.copy(str(screenshots), images=str(images),
                                shots=shots) == ["a.png"]
    assert sorted(os.listdir(images)) == ["a.png"]
    with Image.open(images / "a.png") as picture:
        assert picture.size == (40, 30)
    first = (images / "a.png").read_bytes()
    doc_screenshots.copy(str(screenshots), images=str(images), shots=shots)
    assert (images / "a.png").read_bytes() == first


def test_copy_refuses_missing_and_old_screenshots(screenshots, tmp_path):
    images = tmp_path / "images"
    shots = {"a.png": doc_screenshots.Shot("test_x/test_a-admin.png"),
             "b.png": doc_screenshots.Shot("test_x/test_b-admin.png")}
    with pytest.raises(doc_screenshots.Stale, match="b.png: .* is missing"):
        doc_screenshots.copy(str(screenshots), images=str(images),
                             shots=shots)
    shots.pop("b.png")
    taken = os.path.getmtime(screenshots / "test_x" / "test_a-admin.png")
    with pytest.raises(doc_screenshots.Stale, match="not taken by this run"):
        doc_screenshots.copy(str(screenshots), newer_than=taken + 60,
                             images=str(images), shots=shots)
    assert not images.exists()
