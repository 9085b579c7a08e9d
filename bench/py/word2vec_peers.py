"""gensim baseline for bench/word2vec.bench.mjs: skip-gram Word2Vec with 1 and 2 worker threads on the same bags.

Request (JSON on stdin): dir (the bags in CSR form, as content_peers.py reads them), vocabularySize,
word2vec {dim, window, epochs, negatives, minCount, subsample}, workers (list of thread counts), seed.
Result (JSON on stdout): per worker count, seconds (wall) and cpuSeconds of the training (vocabulary scan included,
as ours counts its corpus), plus the gensim version.
"""
import json
from importlib.metadata import version
import sys

from content_peers import load_bags, pseudo_sentences, timed


def main():
    req = json.load(sys.stdin)
    from gensim.models import Word2Vec

    sentences = pseudo_sentences(load_bags(req["dir"], req["vocabularySize"]), req["seed"])
    w = req["word2vec"]
    out = {"versions": {"gensim": version("gensim")}, "runs": {}}
    for workers in req["workers"]:
        _, wall, cpu = timed(lambda: Word2Vec(
            sentences=sentences, vector_size=w["dim"], window=w["window"], negative=w["negatives"], sg=1, hs=0,
            min_count=w["minCount"], sample=w["subsample"], epochs=w["epochs"], workers=workers, seed=req["seed"],
        ))
        out["runs"][str(workers)] = {"seconds": wall, "cpuSeconds": cpu}
        print(f"  gensim word2vec, {workers} workers: {wall:.1f}s wall, {cpu:.1f}s cpu", file=sys.stderr, flush=True)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
