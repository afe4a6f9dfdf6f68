#!/usr/bin/env python3
"""Selects the bundled demo subset of the public-domain paintings (data/sample/paintings/).

Deterministic: artists with at least 3 works are taken round-robin over the centuries (the century holding most of
an artist's works), most prolific first (ties by name), up to 4 works each (their first by id), as long as
the total stays within 300 paintings.
Only records whose licence is public domain or CC0 are considered.

    python3 scripts/make-paintings-sample.py ../shared/data/public-domain-paintings data/sample/paintings
"""
import collections
import json
import shutil
import sys
from pathlib import Path

TARGET = 300
PER_ARTIST = 4

def main(source: Path, target: Path) -> None:
    lines = [line for line in (source / "metadata.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [(json.loads(line), line) for line in lines]
    by_artist = collections.defaultdict(list)
    for record, line in records:
        licence = record.get("license") or ""
        if not (licence.startswith("Public domain (") or licence.startswith("CC0")):
            continue
        if not record.get("artist") or not isinstance(record.get("year"), int):
            continue
        by_artist[record["artist"]].append((record, line))
    by_century = collections.defaultdict(list)
    for artist, works in by_artist.items():
        if len(works) < 3:
            continue
        works.sort(key=lambda w: w[0]["id"])
        century = collections.Counter(w[0]["year"] // 100 for w in works).most_common(1)[0][0]
        by_century[century].append(artist)
    queues = {c: sorted(a, key=lambda a: (-len(by_artist[a]), a)) for c, a in by_century.items()}
    chosen = []
    while len(chosen) < TARGET and any(queues.values()):
        for century in sorted(queues):
            if queues[century]:
                artist = queues[century].pop(0)
                works = by_artist[artist][:PER_ARTIST]
                if len(chosen) + len(works) <= TARGET:
                    chosen.extend(works)
    (target / "images").mkdir(parents=True, exist_ok=True)
    with open(target / "metadata.jsonl", "w", encoding="utf-8") as out:
        for record, line in sorted(chosen, key=lambda w: w[0]["id"]):
            out.write(line + "\n")
            shutil.copyfile(source / record["file"], target / record["file"])
    centuries = collections.Counter(r["year"] // 100 + 1 for r, _ in chosen)
    artists = collections.Counter(r["artist"] for r, _ in chosen)
    print(f"{len(chosen)} paintings, {len(artists)} artists, centuries {dict(sorted(centuries.items()))}")

if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
