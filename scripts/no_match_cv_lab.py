#!/usr/bin/env python3
""""No confident match" on holidays-dev under 5-fold cross-validation by query (numpy only).

Decision record 0115, Amendments 7 and 8. For each query: its true matches as verified with only the query left out
of the library (loss side) and its other verified candidates with its whole group left out (rejection side; the
reciprocal rank is counted in that smaller library too). Confidence of a candidate:
    ln(1 + inliers) + W * (global - global of the 21st candidate) - B * ln(min(rank, 65))
where rank is the query's rank among the candidate's own library neighbours (1 = the query is its nearest; 65 =
beyond the 64 the app searches). A query is rejected when its best confidence is under the threshold T.
Cross-validation: W, B and T chosen on 4/5 of the queries (T = 90 % rejection there), measured on the other 1/5.

Usage:
  java -Docular.eval.pairs=pairs.tsv ... ocular eval --dataset ../shared/data/holidays-dev --protocol holidays \
      --model mobilenetv2-int8 --rerank local --json       (fills the eval cache with the global vectors)
  python3 scripts/no_match_cv_lab.py pairs.tsv ../shared/data/holidays-dev CACHE/base-mobilenetv2-int8-*.feat
Calibrate on holidays-dev only; report other sets as held out.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from holidays_lab import load  # noqa: E402
from holidays_pairs_lab import read  # noqa: E402

CAP = np.log(65)


def candidates(S, Q, groups):
    """Per query: (negatives, positives), each a list of (ln(1+inliers), margin over the 21st, ln rank)."""
    n = S.shape[0]
    data = []
    for q, rows in Q.items():
        out = []
        for excl in (np.where(groups == groups[q])[0], np.array([q])):
            lib = np.ones(n, bool)
            lib[excl] = False
            sq = np.where(lib, S[q], -9)
            g21 = np.sort(sq)[::-1][min(20, lib.sum() - 1)]
            feats = []
            for (_, x, g, inl, rel, _) in rows:
                if inl < 0 or not lib[x] or (len(excl) > 1) == bool(rel):
                    continue
                sx = np.where(lib, S[x], -9)
                sx[x] = -9
                rank = 1 + int((sx > S[x, q]).sum())
                feats.append((np.log1p(inl), g - g21, min(np.log(rank), CAP)))
            out.append(feats)
        data.append((out[0], out[1]))
    return data


def best(feats, w, m, b):
    return max((w * li + m * mg - b * lr for li, mg, lr in feats), default=-1e9)


def scores(data, idx, rule):
    neg = np.array([best(data[i][0], *rule) for i in idx])
    pos = np.array([best(data[i][1], *rule) for i in idx if data[i][1]])
    return neg, pos


def cv(data, rules, seed):
    perm = np.random.default_rng(seed).permutation(len(data))
    rej, loss = [], []
    for fold in np.array_split(perm, 5):
        held = set(fold.tolist())
        train = [i for i in perm if i not in held]

        def train_loss(rule):
            neg, pos = scores(data, train, rule)
            return (pos <= np.quantile(neg, 0.9)).mean()

        rule = min(rules, key=train_loss)
        t = np.quantile(scores(data, train, rule)[0], 0.9)
        neg, pos = scores(data, list(fold), rule)
        rej.append((neg <= t).mean())
        loss.append((pos <= t).mean())
    return np.mean(rej), np.mean(loss)


def main(pairs, dataset, cache):
    imgs = sorted(os.listdir(os.path.join(dataset, 'images')))
    groups = np.array([f[:4] for f in imgs])
    X = np.stack(load(cache))[:, 0, :]
    data = candidates(X @ X.T, read(pairs), groups)
    all_idx = range(len(data))
    for name, rule, t in (('app before (W 10, B 0, T 3.6)', (1, 10, 0), 3.6),
                          ('reciprocal (W 10, B 0.5, T 3.2)', (1, 10, 0.5), 3.2)):
        neg, pos = scores(data, all_idx, rule)
        print('%-34s in-sample rejection %.3f loss %.3f' % (name, (neg <= t).mean(), (pos <= t).mean()))
    families = {
        'W 10, B 0 (T by CV)': [(1, 10, 0)],
        'W 10, B 0.5 (T by CV)': [(1, 10, 0.5)],
        'W {5,10,20}, B 0 (by CV)': [(1, w, 0) for w in (5, 10, 20)],
        'W {5,10,20}, B {0,.25,.5,.75,1} (by CV)': [(1, w, b) for w in (5, 10, 20) for b in (0, .25, .5, .75, 1)],
    }
    for name, rules in families.items():
        runs = np.array([cv(data, rules, s) for s in range(10)])
        r0 = cv(data, rules, 0)
        print('%-42s seed 0: rejection %.3f loss %.3f | 10 seeds: rejection %.3f loss %.3f (sd %.3f)'
              % (name, r0[0], r0[1], runs[:, 0].mean(), runs[:, 1].mean(), runs[:, 1].std()))


if __name__ == '__main__':
    main(*sys.argv[1:4])
