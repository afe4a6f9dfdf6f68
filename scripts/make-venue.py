#!/usr/bin/env python3
"""Builds the example venue data/venue/tate-sample-venue.json for the bundled sample collection.

    python3 scripts/make-venue.py [--sample data/sample/tate] [--out data/venue/tate-sample-venue.json]

The building is imaginary but laid out the way a curator would hang a British collection: a chronological loop
on the ground floor (Tudor and Stuart → Hogarth → Romantic landscape → Turner → Blake → Pre-Raphaelites →
Victorian → Impressionism to Camden Town → a sculpture court), a works-on-paper room, and modern and contemporary
art upstairs (Modern British, Surrealism, Abstraction, Pop, figuration, conceptual and minimal art, contemporary)
reached by a main staircase, a lift and a back staircase, with a print-study mezzanine up a short flight of steps
(not step-free).

Works are assigned to rooms by rules a curator would use (deterministic; the same sample gives the same file):
  1. J. M. W. Turner's works go to the Turner room;
  2. works whose Tate movements name a room's movements go there (Pre-Raphaelite Brotherhood → Pre-Raphaelites,
     St Ives School → Abstraction, British Pop → Pop, …);
  3. sculpture, reliefs and installations from 1900 go to the sculpture court (before 1990) or the contemporary
     galleries (from 1990);
  4. paintings go by date: to 1714 Tudor and Stuart, to 1789 Hogarth and the 18th century, to 1847 Romantic
     landscape, to 1899 Victorian Britain, to 1944 Modern British, to 1989 Abstraction when Tate's subjects say
     `abstraction`, otherwise post-war figuration, from 1990 contemporary;
  5. works on paper go to the historic works-on-paper room (before 1900) or the print-study mezzanine (from 1900).
Each room takes at most its quota; within a room, works with subject terms come first, then a stable hashed
order. Positions go round the walls.
"""
import argparse
import gzip
import hashlib
import json
import os
import re

FLOORS = [
    {"id": "G", "name": "Ground floor", "level": 0},
    {"id": "L1", "name": "Level 1", "level": 1},
]

# id, name, floor, themes, periods, capacity, step_free, quota
ROOMS = [
    ("entrance", "Entrance Hall", "G", ["welcome"], [], 120, True, 0),
    ("cafe", "Café", "G", ["refreshments"], [], 80, True, 0),
    ("tudor-stuart", "Tudor and Stuart", "G", ["portraiture", "court"], ["1540–1714"], 30, True, 18),
    ("hogarth", "Hogarth and the 18th Century", "G", ["satire", "conversation pieces", "portraiture"],
     ["1714–1789"], 35, True, 24),
    ("romantic-landscape", "Constable and Romantic Landscape", "G", ["landscape", "the sublime", "nature"],
     ["1790–1847"], 40, True, 26),
    ("turner", "Turner", "G", ["landscape", "sea", "light", "weather"], ["1790–1851"], 50, True, 30),
    ("blake", "Blake and the Visionaries", "G", ["imagination", "religion", "literature"], ["1770–1850"],
     25, True, 18),
    ("pre-raphaelites", "Pre-Raphaelites and Aesthetes", "G", ["medievalism", "literature", "beauty"],
     ["1848–1900"], 40, True, 22),
    ("victorian", "Victorian Britain", "G", ["modern life", "narrative painting", "empire"], ["1837–1901"],
     35, True, 24),
    ("camden-town", "Impressionism to Camden Town", "G", ["modern life", "interiors", "the city"],
     ["1880–1914"], 30, True, 20),
    ("sculpture-court", "Sculpture Court", "G", ["sculpture", "form", "material"], ["1900–1989"], 80, True, 26),
    ("works-on-paper", "Prints and Drawings before 1900", "G", ["works on paper", "landscape", "topography"],
     ["1700–1900"], 20, True, 24),
    ("landing", "Upper Landing", "L1", ["orientation"], [], 60, True, 0),
    ("modern-british", "Modern British", "L1", ["Vorticism", "Neo-Romanticism", "war"], ["1900–1944"],
     40, True, 26),
    ("surrealism", "Surrealism", "L1", ["dreams", "the unconscious", "chance"], ["1920–1950"], 30, True, 16),
    ("abstraction", "Abstraction", "L1", ["abstraction", "geometry", "colour"], ["1930–1989"], 40, True, 26),
    ("pop", "Pop and the Sixties", "L1", ["consumer culture", "mass media", "colour"], ["1955–1975"],
     35, True, 22),
    ("figuration", "Post-war Figuration", "L1", ["the figure", "portraiture", "the city"], ["1945–1989"],
     35, True, 24),
    ("conceptual", "Conceptual and Minimal Art", "L1", ["ideas", "language", "the body", "land"],
     ["1960–1989"], 35, True, 22),
    ("contemporary", "Contemporary", "L1", ["installation", "identity", "the everyday"], ["1990–present"],
     50, True, 26),
    ("print-room", "Print Study Mezzanine", "L1", ["works on paper", "printmaking"], ["1900–present"],
     15, False, 24),
]

# (from, to, seconds, via); two-way.
CONNECTIONS = [
    ("entrance", "cafe", 25, "door"),
    ("entrance", "tudor-stuart", 30, "door"),
    ("tudor-stuart", "hogarth", 25, "door"),
    ("hogarth", "romantic-landscape", 25, "door"),
    ("romantic-landscape", "turner", 30, "door"),
    ("turner", "blake", 25, "door"),
    ("blake", "pre-raphaelites", 30, "door"),
    ("pre-raphaelites", "victorian", 25, "door"),
    ("victorian", "camden-town", 25, "door"),
    ("camden-town", "sculpture-court", 35, "door"),
    ("sculpture-court", "entrance", 40, "corridor"),
    ("sculpture-court", "works-on-paper", 30, "door"),
    ("works-on-paper", "turner", 45, "corridor"),
    ("romantic-landscape", "works-on-paper", 35, "door"),
    ("entrance", "landing", 50, "stairs"),
    ("entrance", "landing", 75, "lift"),
    ("sculpture-court", "contemporary", 60, "stairs"),
    ("landing", "modern-british", 25, "door"),
    ("modern-british", "surrealism", 25, "door"),
    ("surrealism", "abstraction", 25, "door"),
    ("abstraction", "pop", 30, "door"),
    ("pop", "figuration", 25, "door"),
    ("figuration", "conceptual", 30, "door"),
    ("conceptual", "contemporary", 30, "door"),
    ("contemporary", "landing", 45, "corridor"),
    ("abstraction", "landing", 40, "corridor"),
    ("pop", "print-room", 30, "stairs"),
]

MOVEMENT_ROOMS = [
    ("pre-raphaelites", ["Pre-Raphaelite Brotherhood", "Aesthetic Movement", "Symbolism", "Decadence",
                         "Fin de Siècle", "Victorian/Genre"]),
    ("surrealism", ["Surrealism", "British Surrealism", "Dada", "Neo-Romanticism"]),
    ("abstraction", ["Constructivism", "British Constructivism", "St Ives School", "Abstract Expressionism",
                     "Art Informel", "Tachism", "Post Painterly Abstraction", "Optical Art", "Neo-Concretism",
                     "Unit One", "Concrete Art", "Kinetic Art", "Situation"]),
    ("pop", ["British Pop", "Pop Art", "Independent Group", "Nouveau Réalisme"]),
    ("conceptual", ["Conceptual Art", "Minimalism", "Land Art", "Performance Art", "Body Art", "Arte Povera",
                    "Feminist Art", "Environmental Art", "Fluxus"]),
    ("contemporary", ["Young British Artists (YBA)", "Abject art", "New British Sculpture"]),
    ("figuration", ["School of London", "Neo-Expressionism", "Neue Wilden", "Kitchen Sink Painters",
                    "Euston Road School"]),
    ("camden-town", ["Camden Town Group", "New English Art Club", "Impressionism", "British Impressionism",
                     "Bloomsbury Group", "Glasgow School", "Newlyn School", "Intimism"]),
    ("modern-british", ["Vorticism", "British War Art", "Cubism", "Direct Carving", "Futurism",
                        "Artists International Association", "Seven and Five Society"]),
    ("sculpture-court", ["Geometry of Fear", "New Generation Sculpture", "New Sculpture"]),
    ("blake", ["Shoreham / The Ancients", "Neo-Classicism", "Romanticism", "Sublime"]),
    ("romantic-landscape", ["Norwich School", "Picturesque"]),
    ("hogarth", ["Conversation Piece", "Rococo"]),
    ("tudor-stuart", ["Early Stuart", "Later Stuart", "Netherlands-trained, working in Britain", "Tudor"]),
]


def stable_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def year_of(record):
    date_range = record.get("dateRange") or {}
    for key in ("startYear", "endYear"):
        try:
            return int(date_range.get(key))
        except (TypeError, ValueError):
            pass
    m = re.search(r"(\d{4})", record.get("dateText") or "")
    return int(m.group(1)) if m else None


def has_subject(record, name):
    def walk(node):
        if node.get("name") == name:
            return True
        return any(walk(c) for c in node.get("children") or [])
    return walk(record.get("subjects") or {})


def room_for(record):
    """Candidate rooms for a record, best first."""
    year = year_of(record)
    classification = record.get("classification") or ""
    contributors = record.get("contributors") or []
    maker = contributors[0].get("fc", "") if contributors else ""
    movements = [m.get("name") for m in record.get("movements") or []]
    on_paper = classification.startswith("on paper")
    three_d = classification in ("sculpture", "relief", "installation")
    rooms = []
    if maker == "Joseph Mallord William Turner":
        rooms.append("turner")
    if maker == "William Blake" or maker == "Samuel Palmer":
        rooms.append("blake")
    for room, names in MOVEMENT_ROOMS:
        if any(m in names for m in movements):
            rooms.append(room)
    if three_d and year is not None and year >= 1900:
        rooms.append("contemporary" if year >= 1990 else "sculpture-court")
    if classification == "painting" and year is not None:
        if year <= 1714:
            rooms.append("tudor-stuart")
        elif year <= 1789:
            rooms.append("hogarth")
        elif year <= 1847:
            rooms.append("romantic-landscape")
        elif year <= 1899:
            rooms.append("victorian")
        elif year <= 1944:
            rooms.append("modern-british")
        elif year <= 1989:
            rooms.append("abstraction" if has_subject(record, "abstraction") else "figuration")
        else:
            rooms.append("contemporary")
    if on_paper and year is not None:
        rooms.append("works-on-paper" if year < 1900 else "print-room")
    # Works on paper only hang in themed rooms when nothing else fits; paintings and sculpture first.
    return rooms


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", default=os.path.join(repo, "data", "sample", "tate"))
    parser.add_argument("--out", default=os.path.join(repo, "data", "venue", "tate-sample-venue.json"))
    args = parser.parse_args()

    records = []
    with gzip.open(os.path.join(args.sample, "artworks.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
    # Paintings and sculpture claim wall space before works on paper; works with subjects before those without.
    def priority(r):
        c = r.get("classification") or ""
        kind = 0 if c == "painting" else 1 if c in ("sculpture", "relief", "installation") else 2
        return (kind, 0 if r.get("subjectCount") else 1, stable_hash(r["acno"]))
    records.sort(key=priority)

    quota = {r[0]: r[7] for r in ROOMS}
    # Works on paper may take at most a third of a themed room's quota
    # (Turner's watercolours and Blake's prints are the heart of their rooms.)
    paper_quota = {room: (q if room in ("works-on-paper", "print-room", "turner") else
                          2 * q // 3 if room == "blake" else q // 3) for room, q in quota.items()}
    placed = {r[0]: [] for r in ROOMS}
    paper_count = {r[0]: 0 for r in ROOMS}
    for record in records:
        on_paper = (record.get("classification") or "").startswith("on paper")
        for room in room_for(record):
            if len(placed[room]) >= quota[room]:
                continue
            if on_paper and paper_count[room] >= paper_quota[room]:
                continue
            placed[room].append(record)
            if on_paper:
                paper_count[room] += 1
            break

    rooms = []
    for rid, name, floor, themes, periods, capacity, step_free, _ in ROOMS:
        room = {"id": rid, "name": name, "floor": floor, "capacity": capacity, "step_free": step_free}
        if themes:
            room["themes"] = themes
        if periods:
            room["periods"] = periods
        adjacent = []
        for a, b, seconds, via in CONNECTIONS:
            if a == rid:
                adjacent.append({"room": b, "seconds": seconds, "via": via})
        if adjacent:
            room["adjacent"] = adjacent
        rooms.append(room)

    walls = ["north", "east", "south", "west"]
    placements = []
    for rid, *_ in ROOMS:
        # Hang in chronological order round the room, as a curator would.
        hung = sorted(placed[rid], key=lambda r: (year_of(r) or 9999, r["acno"]))
        for i, record in enumerate(hung):
            wall = walls[i * len(walls) // max(1, len(hung))]
            along = (i % max(1, len(hung) // len(walls) + 1)) * 1.8 + 1.0
            x, y = {"north": (along, 0.0), "east": (10.0, along), "south": (10.0 - along, 8.0),
                    "west": (0.0, 8.0 - along)}[wall]
            placements.append({"item": record["acno"], "room": rid, "wall": wall,
                               "position": {"x": round(x, 1), "y": round(y, 1)}})

    hours = {day: {"open": "10:00", "close": "18:00"} for day in
             ("monday", "tuesday", "wednesday", "thursday", "saturday", "sunday")}
    hours["friday"] = {"open": "10:00", "close": "21:00"}
    venue = {
        "schema": "curio-venue/1",
        "id": "tate-sample",
        "name": "Curio Sample Gallery (Tate collection sample)",
        "timezone": "Europe/London",
        "floors": FLOORS,
        "rooms": rooms,
        "entrances": ["entrance"],
        "opening_hours": hours,
        "closed_dates": ["2025-12-24", "2025-12-25", "2025-12-26", "2026-12-24", "2026-12-25", "2026-12-26"],
        "closures": [
            {"room": "print-room", "weekdays": ["saturday", "sunday"], "reason": "study room open on weekdays"},
            {"room": "print-room", "from": "13:00", "to": "14:00", "reason": "lunch"},
        ],
        "placements": placements,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    # One placement per line keeps the file readable and diffs small.
    body = json.dumps({**venue, "placements": []}, ensure_ascii=False, indent=1)
    lines = ",\n".join("  " + json.dumps(p, ensure_ascii=False) for p in placements)
    body = body.replace('"placements": []', '"placements": [\n' + lines + "\n ]")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(body + "\n")
    counts = ", ".join(f"{rid} {len(placed[rid])}" for rid, *_ in ROOMS if placed[rid])
    print(f"{args.out}: {len(rooms)} rooms, {len(placements)} placements ({counts})")


if __name__ == "__main__":
    main()
