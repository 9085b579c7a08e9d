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


def main():
    req = json.load(sys.stdin)
    d, V = req["dir"], req["vocabularySize"]
    indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
    terms = np.fromfile(os.path.join(d, "terms.i32"), dtype=np.int32)
    counts = np.fromfile(os.path.join(d, "counts.i32"), dtype=np.int32)
    X = sp.csr_matrix((counts.astype(np.float64), terms, indptr), shape=(len(indptr) - 1, V))
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

    rng = np.random.default_rng(req["seed"])
    words = np.array([str(i) for i in range(V)], dtype=object)
    sentences = []
    for i in range(X.shape[0]):
        seq = np.repeat(terms[indptr[i]:indptr[i + 1]], counts[indptr[i]:indptr[i + 1]])
        rng.shuffle(seq)
        sentences.append(list(words[seq]))
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
