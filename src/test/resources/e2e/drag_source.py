#!/usr/bin/env python3
"""A separate X client to drag files from (the e2e drag-and-drop test): a small GTK 3 window at the top-left
corner of the screen that offers the paths given as a text/uri-list, as a file manager does.
Usage: drag_source.py PATH... (prints "ready" once shown; the test drives the mouse with xdotool)."""
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, Gio, GLib, Gtk  # noqa: E402

uris = [Gio.File.new_for_path(p).get_uri() for p in sys.argv[1:]]
window = Gtk.Window(title="ocular-drag-source")
window.set_decorated(False)
window.set_default_size(120, 120)
window.move(0, 0)
box = Gtk.EventBox()
box.add(Gtk.Label(label="drag me"))
window.add(box)
box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
box.drag_source_add_uri_targets()
box.connect("drag-data-get", lambda w, ctx, data, info, t: data.set_uris(uris))
box.connect("drag-end", lambda *a: GLib.timeout_add(500, Gtk.main_quit))
window.connect("destroy", Gtk.main_quit)
window.show_all()
GLib.timeout_add(300, lambda: print("ready", flush=True) and False)
GLib.timeout_add(60_000, Gtk.main_quit)  # never outlive a stuck test
Gtk.main()
