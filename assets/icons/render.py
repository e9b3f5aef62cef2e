#!/usr/bin/env python3
"""Renders topicscope.svg into the PNG sizes the desktop and the window use.

Run from anywhere: `python3 assets/icons/render.py` (needs `pip install cairosvg`).
Writes assets/icons/topicscope-<size>.png; the PNGs are committed, so building
Topicscope does not need Python.
"""
import pathlib

import cairosvg

SIZES = (16, 32, 48, 64, 128, 256, 512)

here = pathlib.Path(__file__).resolve().parent
svg = (here / "topicscope.svg").read_bytes()
for size in SIZES:
    out = here / f"topicscope-{size}.png"
    cairosvg.svg2png(bytestring=svg, write_to=str(out), output_width=size, output_height=size)
    print(out.relative_to(here.parent.parent))
