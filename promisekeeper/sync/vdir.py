"""A vdir (vdirsyncer, khal, todoman): a folder with one `<uuid>.ics` per task, each
written whole through a temporary file and a rename."""

from __future__ import annotations

import os
from collections.abc import Callable

from promisekeeper import paths
from promisekeeper.errors import BadInput
from promisekeeper.lang.i18n import _
from promisekeeper.secrets import url_key
from promisekeeper.sync.tasks import Task


def folder(path: str) -> str:
    """The vdir's folder, which must exist (vdirsyncer makes it); BadInput otherwise."""
    found = os.path.realpath(os.path.expanduser(path))
    if not os.path.isdir(found):
        raise BadInput(_("{path} is not a folder; make it first (vdirsyncer's collection folder)").format(path=path))
    return found


def target_key(folder: str) -> str:
    return url_key(f"vdir\n{folder}")


def writer(folder: str) -> Callable[[Task], None]:
    """Put each task into the folder as its own file, atomically."""

    def put(task: Task) -> None:
        paths.atomic_write(os.path.join(folder, f"{task.uuid}.ics"), task.text)

    return put
