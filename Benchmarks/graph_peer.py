#!/usr/bin/env python3
"""Peer for Benchmarks/graph.sh: builds Curio's knowledge graph of the Tate collection in Python.

Reads the same gzip JSON Lines files as the Swift benchmark driver, maps them to the same records (ids, parsed
dates, places with their country), then builds the same typed graph: one node per kind and key, edges per relation
with provenance, deduplicated, with forward and reverse adjacency sorted by node index (what Swift's CSR holds).
The date parser and medium normaliser are line-by-line ports of CurioCore.DateParser and CurioGraph.MediumNormalizer,
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


def make_range(a, b):
    if not (-50000 <= a <= 2200 and -50000 <= b <= 2200):
        return None
    return (min(a, b), max(a, b))


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
        return make_range(-(n * 100), -((n - 1) * 100 + 1)) if bce else make_range((n - 1) * 100 + 1, n * 100)
    numbers = leading_numbers(s)
    if not numbers:
        return None
    value, digits, decade, _, _ = numbers[0]
    start = end = value
    if decade:
        end = start + 9
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
    return make_range(start, end)


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

# ---------------------------------------------------------------- records


def load(directory):
    items, agents, concepts = [], [], {}

    def concept(cid, scheme, label, broader):
        concepts[cid] = (scheme, label, broader)

    def movement(m):
        broader = None
        era = m.get("era")
        if era and "id" in era:
            broader = f"tate:era:{era['id']}"
            concept(broader, "era", era["name"], None)
        cid = f"tate:movement:{m['id']}"
        concept(cid, "movement", m["name"], broader)
        return cid

    with gzip.open(f"{directory}/artworks.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            makers = [(f"tate:artist:{c['id']}", c.get("fc") or "", c.get("role") or "artist")
                      for c in d.get("contributors") or [] if isinstance(c.get("id"), int)]
            subjects = []
            root = d.get("subjects") or {}
            for c0 in root.get("children", []):
                s0 = f"tate:subject:{c0['id']}"
                concept(s0, "subject", c0.get("name", ""), None)
                for c1 in c0.get("children", []):
                    s1 = f"tate:subject:{c1['id']}"
                    concept(s1, "subject", c1.get("name", ""), s0)
                    for c2 in c1.get("children", []):
                        s2 = f"tate:subject:{c2['id']}"
                        concept(s2, "subject", c2.get("name", ""), s1)
                        subjects.append(s2)
            movements = [movement(m) for m in d.get("movements") or []]
            date = parse_date(d["dateText"]) if isinstance(d.get("dateText"), str) else None
            items.append({"id": d["acno"], "title": d["title"], "makers": makers, "subjects": subjects,
                          "movements": movements, "date": date, "medium": d.get("medium"),
                          "classification": d.get("classification")})

    def place(p):
        if not p or "name" not in p:
            return None
        parts = p["name"].split(", ")
        return (p["name"], parts[-1] if len(parts) > 1 else None)

    with gzip.open(f"{directory}/artists.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            birth, death = d.get("birth") or {}, d.get("death") or {}
            agents.append({"id": f"tate:artist:{d['id']}", "name": d["fc"],
                           "birth": place(birth.get("place")), "death": place(death.get("place")),
                           "active": [x for x in (place(p) for p in d.get("activePlaces") or []) if x],
                           "movements": [movement(m) for m in d.get("movements") or []]})
    return items, agents, concepts

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
