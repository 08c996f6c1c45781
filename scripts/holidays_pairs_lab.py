#!/usr/bin/env python3
"""Calibration of the verification evidence on holidays-dev, over the eval's pairs dump (numpy only).

Reproduces decision record 0070's third amendment: promotion and "no confident match" by
ln(1 + inliers) + W * (global - global of the 21st candidate) against the inlier-only rules.

Usage: dump the verified pairs of the default run, e.g.
  java -Docular.eval.pairs=pairs.tsv ... ocular eval --dataset ../shared/data/holidays-dev --protocol holidays \
      --model mobilenetv2-int8 --rerank local --json
then: python3 scripts/holidays_pairs_lab.py pairs.tsv
Calibrate on holidays-dev only; report other sets as held out.
"""
import collections
import sys

import numpy as np


def read(path):
    q = collections.defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            qid, rank, rid, g, n, rel, tot = line.rstrip('\n').split('\t')
            q[int(qid)].append((int(rank), int(rid), float(g), int(n), int(rel), int(tot)))
    for v in q.values():
        v.sort()
    return q


def ap(rels, total):
    hits, s = 0, 0.0
    for k, r in enumerate(rels):
        if r:
            hits += 1
            s += hits / (k + 1)
    return s / total if total else 0.0


def evidence(x, ref, w):
    return np.log1p(max(x[3], 0)) + w * (x[2] - ref)


def promoted_map(Q, w, t, min_inliers, rank=20):
    """mAP when candidates with >= min_inliers and evidence >= t move up (by evidence), the rest keep order."""
    aps = []
    for L in Q.values():
        ref = L[min(rank, len(L) - 1)][2]
        head = [x for x in L if x[3] >= 0]
        prom = sorted((x for x in head if x[3] >= min_inliers and evidence(x, ref, w) >= t),
                      key=lambda x: (-evidence(x, ref, w), x[0]))
        ids = {x[1] for x in prom}
        order = prom + [x for x in L if x[1] not in ids]
        aps.append(ap([x[4] for x in order], L[0][5]))
    return float(np.mean(aps))


def no_match(Q, w, rank=20):
    """Best true-match evidence per query with matches, best evidence per query with its group left out."""
    neg, pos = [], []
    for L in Q.values():
        left = [x for x in L if not x[4]]
        ref = left[min(rank, len(left) - 1)][2]
        neg.append(max([evidence(x, ref, w) for x in left if x[3] >= 0] or [-1e9]))
        if L[0][5] > 0:
            ref = L[min(rank, len(L) - 1)][2]
            pos.append(max([evidence(x, ref, w) for x in L if x[3] >= 0 and x[4]] or [-1e9]))
    return np.array(neg), np.array(pos)


def main(path):
    Q = read(path)
    print('global mAP %.4f' % promoted_map(Q, 0, 1e9, 10 ** 9))
    for t in (20, 26, 30):
        print('promote >= %d inliers: %.4f' % (t, promoted_map(Q, 0, 0, t)))
    print('promotion by evidence (>= 8 inliers); rows W, columns threshold 2.7 .. 3.9')
    for w in (10, 15, 20, 25, 30):
        print(' W=%2d ' % w + ' '.join('%.4f' % promoted_map(Q, w, t, 8) for t in (2.7, 3.0, 3.3, 3.6, 3.9)))
    print('no confident match: rejection at 5/10/20 % loss, loss at 90 % rejection')
    for w in (0, 5, 10, 14, 20):
        neg, pos = no_match(Q, w)
        rej = ['%.3f' % (neg < np.quantile(pos, l)).mean() for l in (0.05, 0.1, 0.2)]
        print(' W=%2d rejection %s  loss %.3f' % (w, ' '.join(rej), (pos < np.quantile(neg, 0.9)).mean()))
    neg, pos = no_match(Q, 10)
    print('app default (W=10, 3.6): rejection %.3f, loss %.3f' % ((neg < 3.6).mean(), (pos < 3.6).mean()))


if __name__ == '__main__':
    main(sys.argv[1])
