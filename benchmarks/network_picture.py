"""How long the network map picture takes to draw (it is redrawn on every change of the table).

Usage: .venv/bin/python benchmarks/network_picture.py [--repeat N]

Prints, for maps of 0, 1, 8, 20 and 40 people, the median wall time and CPU time of one redraw
(the background of a frame size is drawn once per process and reused, as on a page), the time of
a first draw in a fresh process, and the PNG size. Target: a redraw under ~300 ms for 40 people.
Its last lines are ``name: value`` pairs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from network_examples import random_people

from mentorforms.network import picture


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    picture.render_png(random_people(8), career_goals="first")
    first_ms = (time.perf_counter() - start) * 1000
    figures = {}
    for count in (0, 1, 8, 20, 40):
        rows = random_people(count, seed=count)
        walls, cpus = [], []
        for index in range(args.repeat):
            goals = f"run {index}"  # a new picture each time: nothing comes from the PNG cache
            wall, cpu = time.perf_counter(), time.process_time()
            png = picture.render_png(rows, career_goals=goals)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        figures[count] = (statistics.median(walls), statistics.median(cpus), len(png))
        print(f"{count:3d} people: redraw {figures[count][0]:6.1f} ms wall, {figures[count][1]:6.1f} ms cpu, "
              f"png {figures[count][2] / 1024:5.0f} KiB")
    print(f"first_draw_ms: {first_ms:.0f}")
    for count in (8, 40):
        print(f"redraw_{count}_ms: {figures[count][0]:.0f}")
        print(f"redraw_{count}_cpu_ms: {figures[count][1]:.0f}")


if __name__ == "__main__":
    main()
