#!/usr/bin/env python3
"""Builds the bundled demo collection data/sample/tate/ from the full Tate dump.

    python3 scripts/make-sample.py [--source ../shared/data/tate] [--out data/sample/tate] [--size 3000]

Selection (deterministic; the same source gives byte-identical output):
  * makers are taken in order of how many works Tate holds by them (most first), each contributing at most
    min(40, 1 + floor(sqrt(works) / 2)) artworks, so J. M. W. Turner (39,389 works) gives 40 and does not
    dominate, while a maker with 100 works gives 6;
  * a fifth of the sample goes to makers with a single work, picked by a stable hash, so the long tail of the
    collection is represented too;
  * within a maker, artworks with subject terms come first, then ones with a thumbnail, in a stable hashed
    order (spread across the maker's work rather than the first accession numbers);
  * every artist credited on a chosen artwork is included, and the subjects/ folder and the CC0 LICENCE are
    copied unchanged.
Records are copied verbatim (one JSON object per line) and gzip files are written with a zero timestamp.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import shutil


def stable_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                yield line


def write_gzip(path, lines):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            for line in lines:
                f.write(line.encode("utf-8") + b"\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=os.path.join(repo, "..", "shared", "data", "tate"))
    parser.add_argument("--out", default=os.path.join(repo, "data", "sample", "tate"))
    parser.add_argument("--size", type=int, default=3000)
    args = parser.parse_args()

    by_maker = {}
    for line in read_lines(os.path.join(args.source, "artworks.jsonl.gz")):
        record = json.loads(line)
        contributors = record.get("contributors") or []
        maker = contributors[0]["id"] if contributors else None
        by_maker.setdefault(maker, []).append((record, line))

    def preference(entry):
        record, _ = entry
        return (0 if record.get("subjects") else 1, 0 if record.get("thumbnailUrl") else 1, stable_hash(record["acno"]))

    for works in by_maker.values():
        works.sort(key=preference)

    tail_budget = args.size // 5
    main_budget = args.size - tail_budget
    chosen = []
    multi = sorted((m for m in by_maker if m is not None and len(by_maker[m]) > 1),
                   key=lambda m: (-len(by_maker[m]), m))
    for maker in multi:
        if len(chosen) >= main_budget:
            break
        quota = min(40, 1 + int(math.sqrt(len(by_maker[maker])) / 2), main_budget - len(chosen))
        chosen.extend(by_maker[maker][:quota])
    singles = sorted((m for m in by_maker if m is not None and len(by_maker[m]) == 1),
                     key=lambda m: stable_hash(str(m)))
    for maker in singles[: args.size - len(chosen)]:
        chosen.extend(by_maker[maker][:1])

    chosen.sort(key=lambda entry: entry[0]["acno"])
    credited = {c["id"] for record, _ in chosen for c in record.get("contributors") or []}
    artists = [line for line in read_lines(os.path.join(args.source, "artists.jsonl.gz"))
               if json.loads(line)["id"] in credited]

    os.makedirs(args.out, exist_ok=True)
    write_gzip(os.path.join(args.out, "artworks.jsonl.gz"), (line for _, line in chosen))
    write_gzip(os.path.join(args.out, "artists.jsonl.gz"), artists)
    subjects_out = os.path.join(args.out, "subjects")
    if os.path.isdir(subjects_out):
        shutil.rmtree(subjects_out)
    shutil.copytree(os.path.join(args.source, "subjects"), subjects_out)
    shutil.copyfile(os.path.join(args.source, "LICENCE"), os.path.join(args.out, "LICENCE"))
    for name in os.listdir(subjects_out):
        os.chmod(os.path.join(subjects_out, name), 0o644)
    os.chmod(subjects_out, 0o755)
    os.chmod(os.path.join(args.out, "LICENCE"), 0o644)

    makers = {record["contributors"][0]["id"] for record, _ in chosen if record.get("contributors")}
    with_subjects = sum(1 for record, _ in chosen if record.get("subjects"))
    print(f"{len(chosen)} artworks by {len(makers)} makers ({with_subjects} with subjects), {len(artists)} artists "
          f"-> {args.out}")


if __name__ == "__main__":
    main()
