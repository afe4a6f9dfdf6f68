"""Writes the text benchmark corpora, deterministically, from the Tate catalogue:

  short.txt  1,000 museum labels: "Title. Maker, date" (one per line)
  long.txt   1,000 long descriptions of at least 100 tokens: title, makers, date, medium, dimensions,
             classification, every subject term, credit line and inscription

Usage: python text_corpus.py TATE_DIR OUT_DIR [MODEL_DIR]
With MODEL_DIR (and `transformers` installed) long texts are checked to have >= 100 tokens.
"""
import gzip, json, os, sys

tate, out = sys.argv[1], sys.argv[2]
model_dir = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(out, exist_ok=True)
artworks = [json.loads(l) for l in gzip.open(os.path.join(tate, "artworks.jsonl.gz"), "rt", encoding="utf-8")]
artworks.sort(key=lambda a: a["acno"])

def clean(s):
    return " ".join(str(s).split()) if s else ""

def subjects(node, acc):
    for child in node.get("children", []) or []:
        if child.get("name"):
            acc.append(child["name"])
        subjects(child, acc)
    return acc

short = []
for a in artworks[::69]:
    label = f"{clean(a.get('title'))}. {clean(a.get('all_artists'))}, {clean(a.get('dateText'))}"
    short.append(label)
    if len(short) == 1000:
        break

tokenizer = None
if model_dir:
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(model_dir)

long_texts = []
for a in artworks[::7]:
    terms = subjects(a.get("subjects") or {}, [])
    if len(terms) < 12:
        continue
    parts = [clean(a.get("title")), f"by {clean(a.get('all_artists'))}", clean(a.get("dateText")),
             clean(a.get("medium")), clean(a.get("dimensions")), clean(a.get("classification")),
             "Subjects: " + ", ".join(terms), clean(a.get("creditLine")), clean(a.get("inscription"))]
    text = ". ".join(p for p in parts if p)
    if tokenizer is not None and len(tokenizer(text)["input_ids"]) < 100:
        continue
    long_texts.append(text)
    if len(long_texts) == 1000:
        break

assert len(short) == 1000 and len(long_texts) == 1000, (len(short), len(long_texts))
for name, texts in (("short.txt", short), ("long.txt", long_texts)):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
if tokenizer is not None:
    for name, texts in (("short", short), ("long", long_texts)):
        n = [len(tokenizer(t, truncation=True, max_length=256)["input_ids"]) for t in texts]
        print(f"{name}: {len(texts)} texts, tokens min {min(n)} mean {sum(n)/len(n):.1f} max {max(n)}", file=sys.stderr)
