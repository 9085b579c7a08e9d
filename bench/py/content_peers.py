"""scikit-learn and gensim baselines for bench/content.bench.mjs, on the same bags of words as the TypeScript kernels.

Request (JSON on stdin): dir (holding indptr.i32, terms.i32, counts.i32: the bags in CSR form), vocabularySize,
lda {topics, passes, batchSize}, word2vec {dim, window, epochs, negatives, minCount, subsample}, seed.
Result (JSON on stdout): seconds (wall) and cpuSeconds for TF-IDF (TfidfTransformer, sublinear tf, smooth idf, l2),
LDA (online variational Bayes, as ours) and Word2Vec (skip-gram, negative sampling, one worker thread, over the same
kind of pseudo-sentences: each song's words repeated by count and shuffled), plus the library versions.
"""
import json
from importlib.metadata import version
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def load_bags(d, V):
    """The bags written by bench/lib/lyrics.mjs writeBagsCsr, as a songs x vocabulary count matrix."""
    indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
    terms = np.fromfile(os.path.join(d, "terms.i32"), dtype=np.int32)
    counts = np.fromfile(os.path.join(d, "counts.i32"), dtype=np.int32)
    return sp.csr_matrix((counts, terms, indptr), shape=(len(indptr) - 1, V))


def pseudo_sentences(X, seed):
    """Each song's words repeated by count and shuffled (seeded), as ours (lyricsSequences), as gensim tokens."""
    rng = np.random.default_rng(seed)
    words = np.array([str(i) for i in range(X.shape[1])], dtype=object)
    sentences = []
    for i in range(X.shape[0]):
        row = slice(X.indptr[i], X.indptr[i + 1])
        seq = np.repeat(X.indices[row], X.data[row])
        rng.shuffle(seq)
        sentences.append(list(words[seq]))
    return sentences


def main():
    req = json.load(sys.stdin)
    X = load_bags(req["dir"], req["vocabularySize"]).astype(np.float64)
    out = {"songs": X.shape[0], "versions": {p: version(p) for p in ["scikit-learn", "gensim", "numpy", "scipy"]}}

    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.decomposition import LatentDirichletAllocation

    with threadpool_limits(1):
        _, wall, cpu = timed(lambda: TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2").fit_transform(X))
        out["tfidf"] = {"seconds": wall, "cpuSeconds": cpu}
        print(f"  scikit-learn tfidf: {wall:.2f}s", file=sys.stderr, flush=True)

        lda = req["lda"]
        model = LatentDirichletAllocation(
            n_components=lda["topics"], learning_method="online", batch_size=lda["batchSize"],
            max_iter=lda["passes"], total_samples=X.shape[0], random_state=req["seed"], n_jobs=1,
        )
        _, wall, cpu = timed(lambda: model.fit(X))
        out["lda"] = {"seconds": wall, "cpuSeconds": cpu}
        print(f"  scikit-learn lda: {wall:.1f}s", file=sys.stderr, flush=True)

    from gensim.models import Word2Vec

    sentences = pseudo_sentences(load_bags(req["dir"], req["vocabularySize"]), req["seed"])
    w = req["word2vec"]
    _, wall, cpu = timed(lambda: Word2Vec(
        sentences=sentences, vector_size=w["dim"], window=w["window"], negative=w["negatives"], sg=1, hs=0,
        min_count=w["minCount"], sample=w["subsample"], epochs=w["epochs"], workers=1, seed=req["seed"],
    ))
    out["word2vec"] = {"seconds": wall, "cpuSeconds": cpu}
    print(f"  gensim word2vec: {wall:.1f}s", file=sys.stderr, flush=True)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
