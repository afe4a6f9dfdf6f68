#!/usr/bin/env python3
"""Peer for Benchmarks/graph.sh: builds Curio's knowledge graph of the Tate collection in Python.

Reads the same files as the Swift benchmark driver, maps them to the same records as CurioIngest's TateImporter
(ids, Tate's date ranges or parsed date text, places with their country, merged repeated artists), then builds the
same typed graph: one node per kind and key, edges per relation
with provenance, deduplicated, with forward and reverse adjacency sorted by node index (what Swift's CSR holds).
The date parser, the Tate mapping and the medium normaliser are ports of CurioCore.DateParser,
CurioIngest.TateRecordMapper and CurioGraph.MediumNormalizer,
so node and edge counts must match the Swift build exactly (graph.sh compares them).

usage: graph_peer.py TATE_DIR [--networkx] [--repeat N]
"""
import gzip
import json
import sys
import time
import unicodedata

# ---------------------------------------------------------------- CurioCore.DateParser (port)

PREFIXES = ["first published", "published", "exhibited", "engraved", "printed", "cast", "made", "dated",
            "before", "after", "from", "about", "ca.", "ca ", "circa", "c.", "c "]
CIRCA_PREFIXES = {"about", "ca.", "ca ", "circa", "c.", "c "}
CIRCA_MARGIN = 5


def is_ws(c):
    return c == "\t" or unicodedata.category(c) == "Zs"


def strip_ws(s):
    a, b = 0, len(s)
    while a < b and is_ws(s[a]):
        a += 1
    while b > a and is_ws(s[b - 1]):
        b -= 1
    return s[a:b]


NEWLINES = set("\n\x0b\x0c\r\x85\u2028\u2029")  # Swift's Character.isNewline / CharacterSet.newlines


def is_ws_nl(c):
    return c in NEWLINES or is_ws(c)


def strip_ws_nl(s):
    a, b = 0, len(s)
    while a < b and is_ws_nl(s[a]):
        a += 1
    while b > a and is_ws_nl(s[b - 1]):
        b -= 1
    return s[a:b]


def is_number(c):
    return c.isnumeric()


def trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def make_range(a, b, circa):
    if not (-50000 <= a <= 2200 and -50000 <= b <= 2200):
        return None
    return (min(a, b), max(a, b), circa)


def swift_int(x):
    """Int(x) as Swift reads it: optional sign and ASCII digits only."""
    body = x[1:] if x[:1] in "+-" else x
    if not body or not body.isascii() or not body.isdigit():
        return None
    return int(x)


def iso_year(s):
    parts = s.split("-")
    if len(parts) not in (2, 3) or len(parts[0]) != 4 or swift_int(parts[0]) is None:
        return None
    if len(parts[1]) != 2 or swift_int(parts[1]) is None or not 1 <= swift_int(parts[1]) <= 12:
        return None
    if len(parts) == 3 and (len(parts[2]) != 2 or swift_int(parts[2]) is None or not 1 <= swift_int(parts[2]) <= 31):
        return None
    return swift_int(parts[0])


def leading_numbers(s):
    result = []  # (value, digits, decade, is_range, is_alternative)
    i, joiner = 0, ""
    while i < len(s) and len(result) < 2:
        ch = s[i]
        if ch.isascii() and is_number(ch):
            end = i
            while end < len(s) and s[end].isascii() and is_number(s[end]):
                end += 1
            digits = s[i:end]
            if len(digits) > 6:
                return result
            value = int(digits)
            decade = False
            if end < len(s) and s[end] == "s" and value % 10 == 0:
                decade = True
                end += 1
            j = strip_ws(joiner)
            is_range = j in ("–", "-", "—", "to", "/")
            is_alt = j in ("or", "and", "&")
            if result and not is_range and not is_alt:
                return result
            result.append((value, len(digits), decade, is_range, is_alt))
            joiner = ""
            i = end
            if end < len(s) and s[end].isalpha() and not decade:
                return result
            continue
        if not result and ch != " ":
            return result
        joiner += ch
        if len(joiner) > 8:
            return result
        i += 1
    return result


def parse_date(text):
    s = text.lower().strip()
    if not s:
        return None
    cut = next((k for k, c in enumerate(s) if c in ",;"), None)
    if cut is not None:
        head = s[:cut]
        if any(is_number(c) for c in head):
            s = head
    circa = False
    if s.startswith("?"):
        circa, s = True, s[1:]
    changed = True
    while changed:
        changed = False
        s = strip_ws(s)
        if s.startswith("?"):
            circa, s, changed = True, s[1:], True
            continue
        for p in PREFIXES:
            if s.startswith(p):
                if p in CIRCA_PREFIXES:
                    circa = True
                s = s[len(p):]
                changed = True
                break
    bce = False
    for marker in (" bce", " bc", " b.c.", " b.c.e."):
        if s.endswith(marker):
            bce, s = True, s[:-len(marker)]
    for marker in (" ce", " ad", " a.d."):
        if s.endswith(marker):
            s = s[:-len(marker)]
    s = strip_ws(s)
    if s.endswith("?"):
        circa, s = True, s[:-1]
    if s.endswith("century"):
        k = 0
        while k < len(s) and is_number(s[k]):
            k += 1
        try:
            n = int(s[:k]) if s[:k].isascii() else None
        except ValueError:
            n = None
        if n is None or not (0 < n < 30):
            return None
        return make_range(-(n * 100), -((n - 1) * 100 + 1), circa) if bce else make_range((n - 1) * 100 + 1, n * 100, circa)
    year = iso_year(s)
    if year is not None:
        margin = CIRCA_MARGIN if circa else 0
        return make_range(year - margin, year + margin, circa)
    numbers = leading_numbers(s)
    if not numbers:
        return None
    value, digits, decade, _, _ = numbers[0]
    start = end = value
    if decade:
        end = start + (99 if start % 100 == 0 else 9)
    if len(numbers) >= 2 and (numbers[1][3] or numbers[1][4]):
        v2, d2, dec2, rng2, _ = numbers[1]
        if rng2 and not bce and d2 < digits:
            modulus = 10 ** d2
            end = start - start % modulus + v2
            if end < start:
                end += modulus
        else:
            end = v2 + (9 if dec2 else 0)
    if bce:
        start, end = -start, -end
    if circa:
        start, end = start - CIRCA_MARGIN, end + CIRCA_MARGIN
    return make_range(start, end, circa)


def mid_year(r):
    return trunc_div(r[0] + r[1], 2)


def century(r):
    m = mid_year(r)
    return trunc_div(m - 1, 100) + 1 if m > 0 else trunc_div(m, 100) - 1


def decade(r):
    return (mid_year(r) // 10) * 10


def ordinal(n):
    if 11 <= n % 100 <= 13:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def century_label(n):
    return f"{ordinal(n)} century" if n > 0 else f"{ordinal(-n)} century BCE"


def decade_label(y):
    return f"{y}s" if y >= 0 else f"{-y}s BCE"

# ---------------------------------------------------------------- CurioGraph.MediumNormalizer (port)

SYNONYMS = {"oil": "oil paint", "oils": "oil paint", "oil paints": "oil paint",
            "gelatine silver print": "gelatin silver print", "water colour": "watercolour",
            "watercolor": "watercolour", "pencil": "graphite", "acrylic": "acrylic paint",
            "acrylics": "acrylic paint", "gouache paint": "gouache"}
TRIMMED = set("()[]{}.'\"?*")


def trim_set(s, chars):
    """Trims characters in `chars`, whitespace and line breaks from both ends (Swift's CharacterSet union)."""
    a, b = 0, len(s)
    while a < b and (s[a] in chars or is_ws_nl(s[a])):
        a += 1
    while b > a and (s[b - 1] in chars or is_ws_nl(s[b - 1])):
        b -= 1
    return s[a:b]


def statements(s):
    out, current = [], ""
    for i, c in enumerate(s):
        if c == ";" or c in NEWLINES or (c == "." and (i + 1 == len(s) or s[i + 1] == " ")):
            out.append(current)
            current = ""
        else:
            current += c
    out.append(current)
    return [x for x in out if strip_ws_nl(x)]


def tokens(part):
    pieces = [part]
    for sep in (",", " and ", " with ", "&", "/", " or "):
        pieces = [q for p in pieces for q in p.split(sep)]
    out = []
    for piece in pieces:
        t = trim_set(piece, TRIMMED)
        for article in ("a ", "an ", "the "):
            if t.startswith(article):
                t = t[len(article):]
        t = strip_ws_nl(t)
        if not t or len(t) > 40 or not any(c.isalpha() for c in t):
            continue
        out.append(SYNONYMS.get(t, t))
    return out


def medium_terms(medium):
    media, supports, seen_m, seen_s = [], [], set(), set()
    for statement in statements(medium.lower()):
        s = strip_ws_nl(statement)
        colon = s.find(":")
        if colon >= 0 and len(s[:colon]) <= 20 and " on " not in s[:colon]:
            s = s[colon + 1:]
        idx = s.find(" on ")
        if idx >= 0:
            parts = (s[:idx], s[idx + 4:])
        elif s.startswith("on "):
            parts = ("", s[3:])
        else:
            parts = (s, None)
        for t in tokens(parts[0]):
            if t not in seen_m:
                seen_m.add(t)
                media.append(t)
        if parts[1] is not None:
            for t in tokens(parts[1]):
                if t not in seen_s:
                    seen_s.add(t)
                    supports.append(t)
    return media, supports

# ---------------------------------------------------------------- records (port of CurioIngest.TateImporter's mapping)


def trimmed(v):
    """Text field trimmed of white space; None when absent, not text, or empty (TateRecordMapper.text)."""
    if not isinstance(v, str):
        return None
    v = v.strip()
    return v or None


def integer(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        t = v.strip()
        if t and len(t) <= 18 and all(c.isascii() and (c.isdigit() or c == "-") for c in t):
            try:
                return int(t)
            except ValueError:
                return None
    return None


def item_date(text, date_range):
    """Tate's `dateRange` years when present (widened when the text says circa), else the parsed text."""
    parsed = parse_date(text) if text is not None else None
    if isinstance(date_range, dict) and integer(date_range.get("startYear")) is not None:
        start = integer(date_range.get("startYear"))
        end = integer(date_range.get("endYear"))
        end = start if end is None else end
        margin = CIRCA_MARGIN if parsed is not None and parsed[2] else 0
        if not (-50000 <= start <= 2200 and -50000 <= end <= 2200):
            return None
        return (min(start, end) - margin, max(start, end) + margin)
    return parsed[:2] if parsed is not None else None


def tate_place(p):
    if not isinstance(p, dict):
        return None
    name = trimmed(p.get("name"))
    if name is None:
        return None
    place_name = trimmed(p.get("placeName")) if isinstance(p.get("placeName"), str) else None
    country = None
    comma = name.rfind(",")
    if comma >= 0:
        after = name[comma + 1:].strip()
        if after:
            country = after
    elif p.get("placeType") == "nation":
        country = place_name or name
    return (name, country)


def load(directory):
    items, agents, concepts = [], {}, {}

    def meet(cid, scheme, label, broader):
        if cid not in concepts:  # the first description wins
            concepts[cid] = (scheme, label, broader)

    def movements(value):
        ids = []
        for m in value if isinstance(value, list) else []:
            mid, name = integer(m.get("id")), trimmed(m.get("name"))
            if mid is None or name is None:
                continue
            broader = None
            era = m.get("era")
            if isinstance(era, dict) and integer(era.get("id")) is not None and trimmed(era.get("name")):
                broader = f"tate:era:{integer(era.get('id'))}"
                meet(broader, "era", trimmed(era.get("name")), None)
            cid = f"tate:movement:{mid}"
            meet(cid, "movement", name, broader)
            if cid not in ids:
                ids.append(cid)
        return ids

    # Subject lists (level 0, then level 1 with its parent), read before the records.
    for level, name in ((0, "level0list.json"), (1, "level1list.json")):
        with open(f"{directory}/subjects/{name}", encoding="utf-8") as f:
            for entry in json.load(f):
                sid = integer(entry.get("id"))
                label = entry.get("name")
                if sid is None or not isinstance(label, str) or not label:
                    continue
                parent = integer(entry.get("parent0")) if level == 1 else None
                if level == 1 and parent is None:
                    continue
                meet(f"tate:subject:{sid}", "subject", label, f"tate:subject:{parent}" if parent is not None else None)

    with gzip.open(f"{directory}/artists.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            aid, name = integer(d.get("id")), trimmed(d.get("fc"))
            if aid is None or name is None:
                continue
            birth, death = d.get("birth") or {}, d.get("death") or {}
            agent = {"id": f"tate:artist:{aid}", "name": name, "birth": tate_place(birth.get("place")),
                     "death": tate_place(death.get("place")),
                     "active": [x for x in (tate_place(p) for p in d.get("activePlaces") or []) if x],
                     "movements": movements(d.get("movements"))}
            first = agents.get(agent["id"])
            if first is None:
                agents[agent["id"]] = agent
            else:  # repeated artist records are merged: the first one's values win
                first["birth"] = first["birth"] or agent["birth"]
                first["death"] = first["death"] or agent["death"]
                first["active"] += [p for p in agent["active"] if p not in first["active"]]
                first["movements"] += [m for m in agent["movements"] if m not in first["movements"]]

    seen_items = set()
    with gzip.open(f"{directory}/artworks.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            acno, title = trimmed(d.get("acno")), trimmed(d.get("title"))
            if acno is None or title is None or acno in seen_items:
                continue
            seen_items.add(acno)
            makers = []
            for c in d.get("contributors") or []:
                cid, fc = integer(c.get("id")), trimmed(c.get("fc"))
                if cid is None or fc is None:
                    continue
                makers.append((f"tate:artist:{cid}", fc, trimmed(c.get("role")) or "artist"))
            subjects, seen = [], set()

            def visit(node, level, broader):
                if level >= 8:
                    return
                sid, label = integer(node.get("id")), trimmed(node.get("name"))
                if sid is None or label is None:
                    return
                cid = f"tate:subject:{sid}"
                meet(cid, "subject", label, broader)
                children = node.get("children") or []
                if not children and cid not in seen:
                    seen.add(cid)
                    subjects.append(cid)
                for child in children:
                    visit(child, level + 1, cid)

            tree = d.get("subjects")
            if isinstance(tree, dict):
                for top in tree.get("children") or []:
                    visit(top, 0, None)
            items.append({"id": acno, "title": title, "makers": makers, "subjects": subjects,
                          "movements": movements(d.get("movements")),
                          "date": item_date(trimmed(d.get("dateText")), d.get("dateRange")),
                          "medium": trimmed(d.get("medium")), "classification": trimmed(d.get("classification"))})
    return items, list(agents.values()), concepts

# ---------------------------------------------------------------- graph

RELATIONS = ["maker", "related_maker", "about", "movement", "decade", "century", "medium", "support", "classification",
             "agent_movement", "birth_place", "death_place", "active_place", "contained_in", "broader", "era"]
DERIVATIVE_ROLES = {"after", "prints after", "copy after", "manner of", "imitator of", "follower of", "school of",
                    "circle of", "pupil of", "formerly attributed to", "associated with", "style of", "workshop of"}
KINDS = ["item", "agent", "subject", "movement", "era", "place", "decade", "century", "material", "classification"]


class Graph:
    def __init__(self):
        self.kinds, self.keys, self.labels = [], [], []
        self.lookup = {k: {} for k in KINDS}
        self.edges = {r: {} for r in RELATIONS}  # relation -> {(s, t): provenance}; first provenance wins

    def node(self, kind, key, label):
        table = self.lookup[kind]
        n = table.get(key)
        if n is None:
            n = len(self.kinds)
            self.kinds.append(kind)
            self.keys.append(key)
            self.labels.append(label)
            table[key] = n
        elif not self.labels[n] and label:
            self.labels[n] = label
        return n

    def edge(self, s, relation, t, provenance):
        self.edges[relation].setdefault((s, t), provenance)

    def freeze(self):
        """Forward and reverse adjacency per relation, sorted by node index (Swift's CSR)."""
        n = len(self.kinds)
        self.out, self.inn = {}, {}
        for r, pairs in self.edges.items():
            out = [[] for _ in range(n)]
            inn = [[] for _ in range(n)]
            for (s, t) in sorted(pairs):
                out[s].append(t)
                inn[t].append(s)
            self.out[r], self.inn[r] = out, inn


def build(items, agents, concepts):
    g = Graph()
    concept_nodes = {}
    kind_of = {"subject": "subject", "movement": "movement", "era": "era"}
    for cid, (scheme, label, _) in concepts.items():
        concept_nodes[cid] = g.node(kind_of[scheme], cid, label)
    for cid, (scheme, _, broader) in concepts.items():
        if broader is None:
            continue
        n, b = concept_nodes[cid], concept_nodes[broader]
        relation = "era" if scheme == "movement" and concepts[broader][0] == "era" else "broader"
        g.edge(n, relation, b, "Concept.broader")

    def place_node(p):
        name, country = p
        n = g.node("place", name.lower(), name)
        if country and country.strip() and country.lower() != name.lower():
            g.edge(n, "contained_in", g.node("place", country.lower(), country), "Place.country")
        return n

    for a in agents:
        n = g.node("agent", a["id"], a["name"])
        for m in a["movements"]:
            g.edge(n, "agent_movement", concept_nodes[m], "Agent.movements")
        if a["birth"]:
            g.edge(n, "birth_place", place_node(a["birth"]), "Agent.birthPlace")
        if a["death"]:
            g.edge(n, "death_place", place_node(a["death"]), "Agent.deathPlace")
        for p in a["active"]:
            g.edge(n, "active_place", place_node(p), "Agent.activePlaces")

    medium_cache = {}
    for it in items:
        n = g.node("item", it["id"], it["title"])
        for agent, name, role in it["makers"]:
            a = g.lookup["agent"].get(agent)
            if a is None:
                a = g.node("agent", agent, name)
            role = role.lower()
            relation = "related_maker" if role in DERIVATIVE_ROLES else "maker"
            g.edge(n, relation, a, f"Item.makers[role={role}]")
        for s in it["subjects"]:
            g.edge(n, "about", concept_nodes[s], "Item.subjects")
        for m in it["movements"]:
            g.edge(n, "movement", concept_nodes[m], "Item.movements")
        r = it["date"]
        if r is not None:
            span = r[1] - r[0]
            if span <= 100:
                c = century(r)
                g.edge(n, "century", g.node("century", str(c), century_label(c)), "Item.date")
            if span <= 20:
                d = decade(r)
                is_new = str(d) not in g.lookup["decade"]
                dn = g.node("decade", str(d), decade_label(d))
                g.edge(n, "decade", dn, "Item.date")
                if is_new:
                    c = century((d, d + 9))
                    g.edge(dn, "broader", g.node("century", str(c), century_label(c)), "DateRange.decade")
        medium = it["medium"]
        if medium:
            terms = medium_cache.get(medium)
            if terms is None:
                media, supports = medium_terms(medium)
                terms = ([g.node("material", t, t) for t in media], [g.node("material", t, t) for t in supports])
                medium_cache[medium] = terms
            for m in terms[0]:
                g.edge(n, "medium", m, "Item.medium")
            for m in terms[1]:
                g.edge(n, "support", m, "Item.medium")
        c = it["classification"]
        if c is not None and c.strip():
            c = c.strip()
            g.edge(n, "classification", g.node("classification", c.lower(), c), "Item.classification")
    g.freeze()
    return g


def build_networkx(g):
    import networkx as nx
    x = nx.MultiDiGraph()
    for n, (k, key, label) in enumerate(zip(g.kinds, g.keys, g.labels)):
        x.add_node(n, kind=k, key=key, label=label)
    for r, pairs in g.edges.items():
        x.add_edges_from((s, t, {"relation": r, "provenance": p}) for (s, t), p in pairs.items())
    return x


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    directory = args[0]
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 3
    t0 = time.perf_counter()
    items, agents, concepts = load(directory)
    print(f"peer_load_seconds: {time.perf_counter() - t0:.3f}  (json.loads over gzip JSON Lines, {len(items)} items)")
    times, cpu = [], []
    g = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        g = build(items, agents, concepts)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    counts = {k: 0 for k in KINDS}
    for k in g.kinds:
        counts[k] += 1
    print(f"peer_nodes: {len(g.kinds)}")
    print(f"peer_edges: {sum(len(p) for p in g.edges.values())}")
    for k in KINDS:
        print(f"peer_nodes.{k}: {counts[k]}")
    for r in RELATIONS:
        print(f"peer_edges.{r}: {len(g.edges[r])}")
    print(f"peer_build_seconds_min: {min(times):.4f}")
    print(f"peer_build_cpu_seconds_min: {min(cpu):.4f}")
    if "--dump-keys" in args:
        with open(args[args.index("--dump-keys") + 1], "w", encoding="utf-8") as f:
            for k, key in zip(g.kinds, g.keys):
                f.write(f"{k}\t{key}\n")
    if "--networkx" in args:
        t, c = time.perf_counter(), time.process_time()
        x = build_networkx(g)
        print(f"peer_networkx_seconds: {time.perf_counter() - t:.4f}  cpu {time.process_time() - c:.4f}  (MultiDiGraph of {x.number_of_nodes()} nodes, "
              f"{x.number_of_edges()} edges, from the built dictionaries)")


if __name__ == "__main__":
    main()
