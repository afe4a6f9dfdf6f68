#!/usr/bin/env python3
"""The peer of Curio's Tate ingest: the same work in Python with the standard library only.

    python3 Benchmarks/ingest_peer.py TATE_FOLDER DB

Reads artworks.jsonl.gz and artists.jsonl.gz with gzip + json, maps each record to the same fields Curio keeps
(title, makers with roles, date years, medium, classification, dimensions in mm, credit line, acquisition year,
url, thumbnail, the three-level subject tree with broader terms, movements with eras; artists with life dates
and places), and writes them into SQLite through the stdlib sqlite3 module with the same settings Curio uses
(WAL, synchronous=NORMAL, foreign_keys=ON, one transaction per file, prepared statements reused):

* items: canonical JSON (sorted keys) + SHA-256 content hash + the filter columns, and the link tables
  item_makers, item_subjects, item_movements, images;
* agents (JSON + hash), places, agent_places; concepts (scheme, label, broader, level);
* an FTS5 row per item over title, makers, subject labels including broader terms, and medium;
* an ingested_files row with the file's SHA-256.

It is a subset of Curio's schema (no events, venues or description column) and skips Curio's validation, limits,
problem reporting and duplicate handling, so it does slightly less work than Curio. Prints items per second.
"""
import gzip
import hashlib
import json
import os
import sqlite3
import sys
import time

SCHEMA = """
CREATE TABLE items(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, title TEXT NOT NULL,
    start_year INTEGER, end_year INTEGER, medium TEXT, classification TEXT, acquisition_year INTEGER,
    width_mm REAL, height_mm REAL, depth_mm REAL, hash BLOB NOT NULL, json BLOB NOT NULL);
CREATE INDEX items_source ON items(source, id);
CREATE INDEX items_dates ON items(start_year, end_year);
CREATE TABLE agents(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, sort_name TEXT,
    gender TEXT, birth_year INTEGER, death_year INTEGER, url TEXT, hash BLOB NOT NULL, json BLOB NOT NULL);
CREATE TABLE concepts(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, scheme TEXT NOT NULL, label TEXT NOT NULL,
    broader TEXT, level INTEGER NOT NULL, hash BLOB NOT NULL);
CREATE INDEX concepts_broader ON concepts(broader);
CREATE TABLE places(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, place_name TEXT NOT NULL,
    place_type TEXT, country TEXT);
CREATE TABLE agent_places(agent INTEGER NOT NULL REFERENCES agents(key) ON DELETE CASCADE, relation TEXT NOT NULL,
    ord INTEGER NOT NULL, place INTEGER NOT NULL REFERENCES places(key), PRIMARY KEY (agent, relation, ord)) WITHOUT ROWID;
CREATE TABLE item_makers(item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE, ord INTEGER NOT NULL,
    agent TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (item, ord)) WITHOUT ROWID;
CREATE INDEX item_makers_agent ON item_makers(agent, item);
CREATE TABLE item_subjects(item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE, ord INTEGER NOT NULL,
    concept TEXT NOT NULL, PRIMARY KEY (item, ord)) WITHOUT ROWID;
CREATE INDEX item_subjects_concept ON item_subjects(concept, item);
CREATE TABLE item_movements(item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE, ord INTEGER NOT NULL,
    concept TEXT NOT NULL, PRIMARY KEY (item, ord)) WITHOUT ROWID;
CREATE TABLE images(item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE, ord INTEGER NOT NULL,
    kind TEXT NOT NULL, location TEXT NOT NULL, licence TEXT, PRIMARY KEY (item, ord)) WITHOUT ROWID;
CREATE VIRTUAL TABLE items_fts USING fts5(title, makers, subjects, medium,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE ingested_files(path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, ingested_at TEXT NOT NULL) WITHOUT ROWID;
"""


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Peer:
    def __init__(self, db_path):
        self.db = sqlite3.connect(db_path, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "temp_store = MEMORY",
                       "cache_size = -32000"):
            self.db.execute("PRAGMA " + pragma)
        self.db.executescript(SCHEMA)
        self.concepts = {}  # id -> (label, broader)
        self.place_keys = {}

    def concept(self, cid, scheme, label, broader, level):
        if cid in self.concepts:
            return
        self.concepts[cid] = (label, broader)
        record = {"id": cid, "scheme": scheme, "label": label, "level": level}
        if broader:
            record["broader"] = broader
        self.db.execute("INSERT INTO concepts(id, scheme, label, broader, level, hash) VALUES (?, ?, ?, ?, ?, ?)",
                        (cid, scheme, label, broader, level, hashlib.sha256(canonical(record)).digest()))

    def labels(self, cid):
        out = []
        while cid and len(out) < 16:
            entry = self.concepts.get(cid)
            if not entry:
                break
            out.append(entry[0])
            cid = entry[1]
        return out

    def movements(self, entries):
        ids = []
        for m in entries or []:
            broader = None
            era = m.get("era")
            if era:
                broader = "tate:era:%d" % era["id"]
                self.concept(broader, "era", era["name"], None, 0)
            mid = "tate:movement:%d" % m["id"]
            self.concept(mid, "movement", m["name"], broader, 1 if broader else 0)
            ids.append(mid)
        return ids

    def place_key(self, place):
        key = place["name"].lower()
        if key in self.place_keys:
            return self.place_keys[key]
        name = place["name"]
        country = name.rsplit(",", 1)[1].strip() if "," in name else (
            place.get("placeName") if place.get("placeType") == "nation" else None)
        cur = self.db.execute("INSERT INTO places(id, name, place_name, place_type, country) VALUES (?, ?, ?, ?, ?)",
                              (key, name, place.get("placeName") or name, place.get("placeType"), country))
        self.place_keys[key] = cur.lastrowid
        return cur.lastrowid

    def artists(self, path):
        count = 0
        self.db.execute("BEGIN IMMEDIATE")
        seen = set()
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                aid = "tate:artist:%d" % a["id"]
                if aid in seen:
                    continue
                seen.add(aid)
                birth, death = a.get("birth") or {}, a.get("death") or {}
                agent = {"id": aid, "name": a["fc"], "sortName": a.get("mda"), "gender": a.get("gender"),
                         "birthYear": a.get("birthYear"), "deathYear": (death.get("time") or {}).get("startYear"),
                         "birthPlace": birth.get("place"), "deathPlace": death.get("place"),
                         "activePlaces": a.get("activePlaces") or [], "movements": self.movements(a.get("movements")),
                         "url": a.get("url"), "aliases": []}
                agent = {k: v for k, v in agent.items() if v is not None}
                blob = canonical(agent)
                cur = self.db.execute(
                    "INSERT INTO agents(id, name, sort_name, gender, birth_year, death_year, url, hash, json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (aid, a["fc"], a.get("mda"), a.get("gender"), agent.get("birthYear"), agent.get("deathYear"),
                     a.get("url"), hashlib.sha256(blob).digest(), blob))
                key = cur.lastrowid
                places = [("birth", 0, birth.get("place")), ("death", 0, death.get("place"))]
                places += [("active", i, p) for i, p in enumerate(a.get("activePlaces") or [])]
                for relation, ord_, place in places:
                    if place:
                        self.db.execute("INSERT OR IGNORE INTO agent_places(agent, relation, ord, place) VALUES (?, ?, ?, ?)",
                                        (key, relation, ord_, self.place_key(place)))
                count += 1
        self.db.execute("INSERT INTO ingested_files VALUES (?, ?, datetime('now'))", (path, file_sha256(path)))
        self.db.execute("COMMIT")
        return count

    def artworks(self, path):
        count = 0
        self.db.execute("BEGIN IMMEDIATE")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                subjects = []

                def visit(node, level, broader):
                    cid = "tate:subject:%d" % node["id"]
                    self.concept(cid, "subject", node["name"], broader, level)
                    children = node.get("children") or []
                    if not children:
                        subjects.append(cid)
                    for child in children:
                        visit(child, level + 1, cid)

                for top in (a.get("subjects") or {}).get("children") or []:
                    visit(top, 0, None)
                movements = self.movements(a.get("movements"))
                makers = [{"agent": "tate:artist:%d" % c["id"], "name": c["fc"], "role": c.get("role") or "artist"}
                          for c in sorted(a.get("contributors") or [], key=lambda c: c.get("displayOrder", 0))]
                date_range = a.get("dateRange") or {}
                start = date_range.get("startYear") if isinstance(date_range.get("startYear"), int) else None
                end = date_range.get("endYear", start) if start is not None else None
                factor = 1.0 if a.get("units") in ("mm", "") else 10.0
                dims = {k: (number(a.get(k)) * factor if number(a.get(k)) else None) for k in ("width", "height", "depth")}
                item = {"id": a["acno"], "source": "tate", "title": a["title"].strip(), "makers": makers,
                        "medium": a.get("medium"), "classification": a.get("classification"),
                        "dimensions": a.get("dimensions"), "widthMM": dims["width"], "heightMM": dims["height"],
                        "depthMM": dims["depth"], "subjects": subjects, "movements": movements,
                        "creditLine": a.get("creditLine"), "acquisitionYear": a.get("acquisitionYear"),
                        "url": a.get("url"), "alternateTitles": {},
                        "images": [{"kind": "url", "location": a["thumbnailUrl"]}] if a.get("thumbnailUrl") else [],
                        "date": {"text": a.get("dateText"), "startYear": start, "endYear": end, "isCirca": False}
                        if start is not None else None}
                item = {k: v for k, v in item.items() if v is not None}
                blob = canonical(item)
                digest = hashlib.sha256(blob).digest()
                row = self.db.execute("SELECT key, hash FROM items WHERE id = ?", (a["acno"],)).fetchone()
                if row and row[1] == digest:
                    continue
                cur = self.db.execute(
                    "INSERT INTO items(id, source, title, start_year, end_year, medium, classification, acquisition_year, "
                    "width_mm, height_mm, depth_mm, hash, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a["acno"], "tate", item["title"], start, end, a.get("medium"), a.get("classification"),
                     a.get("acquisitionYear"), dims["width"], dims["height"], dims["depth"], digest, blob))
                key = cur.lastrowid
                self.db.executemany("INSERT INTO item_makers(item, ord, agent, name, role) VALUES (?, ?, ?, ?, ?)",
                                    [(key, i, m["agent"], m["name"], m["role"]) for i, m in enumerate(makers)])
                self.db.executemany("INSERT INTO item_subjects(item, ord, concept) VALUES (?, ?, ?)",
                                    [(key, i, s) for i, s in enumerate(subjects)])
                self.db.executemany("INSERT INTO item_movements(item, ord, concept) VALUES (?, ?, ?)",
                                    [(key, i, m) for i, m in enumerate(movements)])
                self.db.executemany("INSERT INTO images(item, ord, kind, location, licence) VALUES (?, ?, 'url', ?, NULL)",
                                    [(key, i, img["location"]) for i, img in enumerate(item["images"])])
                labels = []
                for cid in subjects + movements:
                    for label in self.labels(cid):
                        if label not in labels:
                            labels.append(label)
                self.db.execute("INSERT INTO items_fts(rowid, title, makers, subjects, medium) VALUES (?, ?, ?, ?, ?)",
                                (key, item["title"], "; ".join(m["name"] for m in makers), "; ".join(labels),
                                 a.get("medium")))
                count += 1
        self.db.execute("INSERT INTO ingested_files VALUES (?, ?, datetime('now'))", (path, file_sha256(path)))
        self.db.execute("COMMIT")
        return count


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ingest_peer.py TATE_FOLDER DB")
    folder, db_path = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    peer = Peer(db_path)
    agents = peer.artists(os.path.join(folder, "artists.jsonl.gz"))
    items = peer.artworks(os.path.join(folder, "artworks.jsonl.gz"))
    elapsed = time.perf_counter() - started
    print(f"python sqlite3: {items} items, {agents} agents in {elapsed:.2f} s ({items / elapsed:,.0f} items/s)")
    print(f"ELAPSED {elapsed:.3f}")


if __name__ == "__main__":
    main()
