#!/usr/bin/env python3
"""An outside check of the implicit-feedback figures in docs/accuracy.md (needs numpy and scipy).

  split DATA DIR SEED      ratings >= 4 of a MovieLens '::' file; users with at least 5 positives
                           give a seeded 20% of them to DIR/testSEED.csv, the rest (and every
                           positive of the other users) go to DIR/trainSEED.csv as user,item,rating
  score DIR SEED RECS      NDCG@10 (binary gains, ideal over min(10, |test|)) and P@10 of a
                           'recommend --all' CSV (user,item,rank,score) against DIR/testSEED.csv
  ease DIR SEED L...       the same metrics for EASE (Steck, "Embarrassingly shallow autoencoders
                           for sparse data", WWW 2019) at each penalty L, trained on DIR/trainSEED.csv

The split is numpy's, not the one './als cv' draws, so figures are comparable within a split.
"""
import csv
import sys

import numpy as np
import scipy.sparse as sp

K = 10
DISCOUNT = 1 / np.log2(np.arange(2, K + 2))


def split(data, out, seed):
    by_user = {}
    with open(data) as f:
        for line in f:
            u, i, r = line.strip().split('::')[:3]
            if float(r) >= 4:
                by_user.setdefault(int(u), []).append((int(i), float(r)))
    rng = np.random.default_rng(seed)
    with open(f'{out}/train{seed}.csv', 'w') as train, open(f'{out}/test{seed}.csv', 'w') as test:
        for u, rows in by_user.items():
            held = set()
            if len(rows) >= 5:
                held = set(rng.permutation(len(rows))[:int(round(0.2 * len(rows)))].tolist())
            for j, (i, r) in enumerate(rows):
                (test if j in held else train).write(f'{u},{i},{r:g}\n')


def read_test(out, seed):
    test = {}
    with open(f'{out}/test{seed}.csv') as f:
        for line in f:
            u, i, _ = line.split(',')
            test.setdefault(int(u), set()).add(int(i))
    return test


def metrics(ranked, test):
    """ranked: user -> items in rank order."""
    ndcg, precision = [], []
    for u, held in test.items():
        top = ranked.get(u, [])[:K]
        hits = np.array([i in held for i in top] + [False] * (K - len(top)), float)
        ndcg.append((hits * DISCOUNT).sum() / DISCOUNT[:min(K, len(held))].sum())
        precision.append(hits.sum() / K)
    return np.mean(ndcg), np.mean(precision), len(ndcg)


def score(out, seed, recs):
    rows = {}
    with open(recs) as f:
        for row in csv.DictReader(f):
            rows.setdefault(int(row['user']), []).append((int(row['rank']), int(row['item'])))
    ranked = {u: [i for _, i in sorted(r)] for u, r in rows.items()}
    print('%s: NDCG@10 %.4f P@10 %.4f (%d users)' % ((recs,) + metrics(ranked, read_test(out, seed))))


def ease(out, seed, penalties):
    train = np.loadtxt(f'{out}/train{seed}.csv', delimiter=',')
    users, u_idx = np.unique(train[:, 0].astype(int), return_inverse=True)
    items, i_idx = np.unique(train[:, 1].astype(int), return_inverse=True)
    x = sp.csr_matrix((np.ones(len(train)), (u_idx, i_idx)), shape=(len(users), len(items)))
    gram = (x.T @ x).toarray()
    test = read_test(out, seed)
    for lam in penalties:
        p = np.linalg.inv(gram + lam * np.eye(len(items)))
        b = -p / np.diag(p)
        np.fill_diagonal(b, 0)
        s = np.asarray(x @ b)
        s[x.nonzero()] = -np.inf  # training items are never recommended
        top = np.argsort(-s, axis=1)[:, :K]
        ranked = {int(users[r]): [int(items[c]) for c in top[r]] for r in range(len(users))}
        print('EASE lambda %g: NDCG@10 %.4f P@10 %.4f (%d users)' % ((lam,) + metrics(ranked, test)))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'split':
        split(args[0], args[1], int(args[2]))
    elif cmd == 'score':
        score(args[0], int(args[1]), args[2])
    elif cmd == 'ease':
        ease(args[0], int(args[1]), [float(a) for a in args[2:]])
    else:
        sys.exit(__doc__)
