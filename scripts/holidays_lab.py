#!/usr/bin/env python3
"""Lab checks on holidays-dev over the eval's cached global vectors (no network run; numpy only).

Reproduces the figures of decision record 0115's 2026-11-30 (second) amendment that the eval itself cannot
show: database-side augmentation (DBA) when the queries are NOT in the library, how much rotation handling can
give at best, and rotation only when the upright search looks weak.

Usage: first fill the cache, e.g.
  ocular --data-dir D eval --dataset ../shared/data/holidays-dev --protocol holidays --model mobilenetv2-int8 \
      --rotations upright --cache C --json
then: python3 scripts/holidays_lab.py ../shared/data/holidays-dev C
(it picks the cache's base-* file of 405 photos and its turns-* file of 405 photos x 4 turns).
"""
import glob
import os
import struct
import sys

import numpy as np


def load(path):
    b = open(path, 'rb').read()[28:]  # ChecksummedFile header: magic, version, length, CRC
    n, dim = struct.unpack('>ii', b[:8])
    o = 8
    out = []
    for _ in range(n):
        (v,) = struct.unpack('>i', b[o:o + 4])
        o += 4
        if v == 0:
            out.append(None)
            continue
        out.append(np.frombuffer(b[o:o + v * dim * 4], dtype='>f4').reshape(v, dim).astype(np.float32))
        o += v * dim * 4
    return out


def mean_ap(S, imgs, qs):
    groups = [f[:4] for f in imgs]
    aps = []
    for qi, q in enumerate(qs):
        rel = {j for j in range(len(imgs)) if groups[j] == groups[q] and j != q}
        sc = S[qi].copy()
        sc[q] = -np.inf
        order = np.lexsort((np.arange(len(sc)), -sc))[:-1]
        hits, s = 0, 0.0
        for r, i in enumerate(order):
            if i in rel:
                hits += 1
                s += hits / (r + 1)
        aps.append(s / len(rel))
    return float(np.mean(aps))


def fit_orientation(V, lam=1e-3, it=300, lr=1.0):
    """Softmax regression 'turned t quarter turns' on views V [n, 4, d], as search/OrientationClassifier."""
    n, _, d = V.shape
    Xt = V.reshape(-1, d)
    y = np.tile(np.arange(4), n)
    mu = Xt.mean(0)
    Xc = Xt - mu
    W = np.zeros((d, 4))
    b = np.zeros(4)
    Y = np.eye(4)[y]
    for _ in range(it):
        Z = Xc @ W + b
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(1, keepdims=True)
        G = P - Y
        W -= lr * (Xc.T @ G / len(y) + lam * W)
        b -= lr * G.mean(0)
    def proba(v):
        Z = (v - mu) @ W + b
        Z -= Z.max(-1, keepdims=True)
        P = np.exp(Z)
        return P / P.sum(-1, keepdims=True)
    return proba


def upright_turns(proba, V):
    L = np.log(proba(V) + 1e-12)  # [n, 4 views, 4 classes]
    return np.stack([sum(L[:, (c + t) % 4, t] for t in range(4)) for c in range(4)], 1).argmax(1)


def main():
    dataset, cache = sys.argv[1], sys.argv[2]
    imgs = sorted(os.listdir(os.path.join(dataset, 'images')))
    qs = [i for i, f in enumerate(imgs) if f[4:6] == '00']
    n = len(imgs)
    base = [load(f) for f in glob.glob(os.path.join(cache, 'base-*.feat'))]
    X = np.stack([x[0] for x in next(b for b in base if len(b) == n)])
    turns = [load(f) for f in glob.glob(os.path.join(cache, 'turns-*.feat'))]
    A = np.stack(next(t for t in turns if len(t) == n))  # [n, 4, d]
    pen = 0.02
    print('global as it is                      %.4f' % mean_ap(X[qs] @ X.T, imgs, qs))
    S4 = np.full((len(qs), n), -9.0)
    for t in range(4):
        S4 = np.maximum(S4, A[qs][:, t] @ X.T - (pen if t else 0))
    print('query in 4 turns (app default)       %.4f' % mean_ap(S4, imgs, qs))
    Sdb = np.full((len(qs), n), -9.0)
    for t in range(4):
        Sdb = np.maximum(Sdb, X[qs] @ A[:, t].T - (pen if t else 0))
    print('database in 4 turns, query once      %.4f' % mean_ap(Sdb, imgs, qs))
    groups = [f[:4] for f in imgs]
    R = np.array([[groups[j] == groups[q] for j in range(n)] for q in qs])
    best = np.max(np.stack([X[qs] @ A[:, t].T for t in range(4)]), 0)
    print('ceiling: best turn for true matches  %.4f' % mean_ap(np.where(R, best, X[qs] @ X.T), imgs, qs))
    top = X[qs] @ X.T
    top[np.arange(len(qs)), qs] = -9
    top = top.max(1)
    for tau in (0.8, 0.85, 0.9):
        weak = top < tau
        S = np.where(weak[:, None], S4, X[qs] @ X.T)
        print('turn only if best upright < %.2f     %.4f (%.0f %% of queries turned)' % (tau, mean_ap(S, imgs, qs),
                                                                                    100 * weak.mean()))
    # upright indexing (in-sample fit, as the eval's --rotations upright), and a one-view classifier (5-fold)
    proba = fit_orientation(A)
    c = upright_turns(proba, A)
    U = A[np.arange(n), c]
    print('upright indexing                     %.4f (%d photos turned)' % (mean_ap(U[qs] @ U.T, imgs, qs),
                                                                          (c != 0).sum()))
    folds = np.array([int(f[:4]) for f in imgs]) % 5
    one = np.zeros(n, int)
    for f in range(5):
        pr = fit_orientation(A[folds != f])
        te = np.where(folds == f)[0]
        one[te] = (4 - pr(A[te, 0]).argmax(1)) % 4
    U1 = A[np.arange(n), one]
    print('one-view classifier, 5-fold          %.4f (%d photos turned)' % (mean_ap(U1[qs] @ U1.T, imgs, qs),
                                                                          (one != 0).sum()))
    # a sideways copy as the query: every query turned by 90 degrees (its views shift by one)
    Qs = np.roll(A[qs], -1, axis=1)
    S4s = np.full((len(qs), n), -9.0)
    for t in range(4):
        S4s = np.maximum(S4s, Qs[:, t] @ X.T - (pen if t else 0))
    Uq = Qs[np.arange(len(qs)), upright_turns(proba, Qs)]
    print('queries turned 90: as it is / 4 turns / upright   %.4f / %.4f / %.4f' % (
        mean_ap(Qs[:, 0] @ X.T, imgs, qs), mean_ap(S4s, imgs, qs), mean_ap(Uq @ U.T, imgs, qs)))
    # DBA, queries outside the library: neighbours among non-query photos only
    isq = np.zeros(n, bool)
    isq[qs] = True
    G = X @ X.T
    for k, a in ((1, 3), (1, 5), (2, 5)):
        for excl in (False, True):
            Gm = G.copy()
            if excl:
                Gm[:, isq] = -np.inf
            D = X.copy()
            for i in range(n):
                o = [j for j in np.argsort(-Gm[i]) if j != i and np.isfinite(Gm[i, j])][:k]
                v = X[i] + (np.maximum(G[i, o], 0)[:, None] ** a * X[o]).sum(0)
                D[i] = v / np.linalg.norm(v)
            print('DBA k=%d a=%d, queries %s   %.4f' % (k, a, 'outside the library' if excl else 'in the library ',
                                                      mean_ap(X[qs] @ D.T, imgs, qs)))


if __name__ == '__main__':
    main()
