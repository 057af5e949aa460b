#!/usr/bin/env python3
"""Other top-N model families on the protocol of implicit-peer.py (needs numpy and scipy).

usage: python3 implicit-bound.py METHOD SEED MODE [ARGS...]
  METHOD  itemknn | rp3 | gfcf | edlae | easenorm | blend
  MODE    grid | ext (a wider grid) | best ARGS (one setting; see main)
The split files trainSEED.csv and testSEED.csv are read from $BOUND_DIR (default: the current
folder), as 'implicit-peer.py split' writes them; the metric and the test reading are
implicit-peer.py's own. Figures: docs/accuracy.md, "Other model families on the same splits".
"""
import os
import importlib.util
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

spec = importlib.util.spec_from_file_location('peer', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                 'implicit-peer.py'))
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
OUT = os.environ.get('BOUND_DIR', '.')
K = 10


def load(seed):
    train = np.loadtxt(f'{OUT}/train{seed}.csv', delimiter=',')
    users, u_idx = np.unique(train[:, 0].astype(int), return_inverse=True)
    items, i_idx = np.unique(train[:, 1].astype(int), return_inverse=True)
    x = sp.csr_matrix((np.ones(len(train)), (u_idx, i_idx)), shape=(len(users), len(items)))
    return x, users, items, peer.read_test(OUT, seed)


def evaluate(s, x, users, items, test):
    s = np.array(s, dtype=np.float64, copy=True)
    s[x.nonzero()] = -np.inf  # candidates: training items without a training positive
    part = np.argpartition(-s, K, axis=1)[:, :K]
    order = np.argsort(-np.take_along_axis(s, part, 1), axis=1, kind='stable')
    top = np.take_along_axis(part, order, 1)
    ranked = {int(users[r]): [int(items[c]) for c in top[r]] for r in range(len(users))}
    n, p, _ = peer.metrics(ranked, test)
    return n, p


def topk_cols(w, k):
    """keep the k largest entries of each column (neighbours of each target item)."""
    if k is None or k >= w.shape[0]:
        return w
    idx = np.argpartition(-w, k, axis=0)[:k, :]
    out = np.zeros_like(w)
    np.put_along_axis(out, idx, np.take_along_axis(w, idx, 0), 0)
    return out


def topk_rows(w, k):
    return topk_cols(w.T, k).T


# ---- 1. ItemKNN cosine with shrinkage --------------------------------------------
def itemknn(x, k, shrink, g=None):
    if g is None:
        g = (x.T @ x).toarray()
    n = np.sqrt(np.diag(g))
    w = g / (np.outer(n, n) + shrink + 1e-9)
    np.fill_diagonal(w, 0)
    w = topk_cols(w, k)
    return x @ w


# ---- 2. RP3beta --------------------------------------------------------------------
def rp3_base(x, alpha):
    du = np.asarray(x.sum(1)).ravel()
    di = np.asarray(x.sum(0)).ravel()
    pui = sp.diags(1 / du) @ x
    piu = sp.diags(1 / np.maximum(di, 1)) @ x.T.tocsr()
    pui = pui.power(alpha)
    piu = piu.power(alpha)
    return (piu @ pui).toarray(), di, pui


def rp3(x, base, di, beta, k, norm=False):
    w = base / np.power(np.maximum(di, 1), beta)[None, :]
    np.fill_diagonal(w, 0)
    w = topk_rows(w, k)  # Dacrema et al.: top-k per row of W (item i's outgoing)
    if norm:
        w = w / np.maximum(w.sum(1, keepdims=True), 1e-12)
    return x @ w


# ---- 3. GF-CF ----------------------------------------------------------------------
def gfcf_parts(x, kmax):
    du = np.asarray(x.sum(1)).ravel()
    di = np.asarray(x.sum(0)).ravel()
    dui = np.power(np.maximum(di, 1), -0.5)
    rt = sp.diags(np.power(du, -0.5)) @ x @ sp.diags(dui)
    lin = (rt.T @ rt).toarray()
    _, sv, vt = svds(rt.tocsc(), k=kmax)
    order = np.argsort(-sv)
    vt = vt[order]
    return lin, vt, dui


def gfcf(x, lin, vt, dui, k, a):
    s = x @ lin
    if a:
        v = vt[:k].T
        ideal = (x @ (dui[:, None] * v)) @ (v.T / dui[None, :])
        s = s + a * ideal
    return s


# ---- 4. EASE / EDLAE ---------------------------------------------------------------
def edlae(x, lam, p, g=None):
    if g is None:
        g = (x.T @ x).toarray()
    d = np.diag(g).copy()
    a = g.copy()
    a[np.diag_indices_from(a)] += lam + (p / (1 - p)) * d
    pinv = np.linalg.inv(a)
    b = -pinv / np.diag(pinv)
    np.fill_diagonal(b, 0)
    return x @ b


def ease_norm(x, lam, gamma, p=0.0, back=False):
    """EASE/EDLAE on a column-normalised matrix Xn = X D_i^-gamma. Scores are Xn B (predictions of
    the normalised row); with back=True they are mapped back to the raw scale by D_i^gamma."""
    di = np.maximum(np.asarray(x.sum(0)).ravel(), 1)
    xn = x @ sp.diags(np.power(di, -gamma))
    g = (xn.T @ xn).toarray()
    a = g.copy()
    a[np.diag_indices_from(a)] += lam + (p / (1 - p)) * np.diag(g)
    pinv = np.linalg.inv(a)
    b = -pinv / np.diag(pinv)
    np.fill_diagonal(b, 0)
    s = xn @ b
    return s * np.power(di, gamma)[None, :] if back else s


def zstd(s, x):
    s = np.array(s, dtype=np.float64, copy=True)
    m = np.ones_like(s, dtype=bool)
    m[x.nonzero()] = False
    cnt = m.sum(1, keepdims=True)
    mu = np.where(m, s, 0).sum(1, keepdims=True) / cnt
    sd = np.sqrt(np.where(m, (s - mu) ** 2, 0).sum(1, keepdims=True) / cnt)
    return (s - mu) / np.maximum(sd, 1e-12)


def log(*a):
    print(*a, flush=True)


def main():
    method, seed, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    x, users, items, test = load(seed)
    log(f'{method} seed {seed}: {x.shape[0]} users {x.shape[1]} items {x.nnz} positives')

    def run(label, f):
        t = time.time()
        s = f()
        ft = time.time() - t
        n, p = evaluate(s, x, users, items, test)
        log(f'{method} {label}: NDCG@10 {n:.4f} P@10 {p:.4f} fit {ft:.2f}s')
        return s

    if method == 'itemknn':
        g = (x.T @ x).toarray()
        if mode == 'grid':
            for k in [50, 100, 200, 500, None]:
                for sh in [0, 10, 50, 100]:
                    run(f'k={k} shrink={sh}', lambda: itemknn(x, k, sh, g))
        else:
            k = None if sys.argv[4] == 'all' else int(sys.argv[4])
            run(f'k={k} shrink={sys.argv[5]}', lambda: itemknn(x, k, float(sys.argv[5])))
    elif method == 'rp3':
        if mode in ('grid', 'ext'):
            ext = mode == 'ext'
            for al in ([0.3, 0.5, 0.8] if ext else [0.5, 0.8, 1.0, 1.2]):
                base, di, _ = rp3_base(x, al)
                for be in ([0.6, 0.7, 0.8, 0.9, 1.0] if ext else [0.0, 0.2, 0.3, 0.4, 0.5, 0.6]):
                    for k in ([500, 1000] if ext else [100, 200, 500]):
                        for norm in [False, True]:
                            run(f'alpha={al} beta={be} k={k} norm={norm}',
                                lambda: rp3(x, base, di, be, k, norm))
        else:
            al, be, k, norm = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7] == 'True'

            def fit():
                base, di, _ = rp3_base(x, al)
                return rp3(x, base, di, be, k, norm)
            run(f'alpha={al} beta={be} k={k} norm={norm}', fit)
    elif method == 'gfcf':
        if mode in ('grid', 'ext'):
            ext = mode == 'ext'
            t = time.time()
            lin, vt, dui = gfcf_parts(x, 256)
            log(f'svds k=256 + gram {time.time() - t:.2f}s')
            for k in ([96, 128, 192, 256] if ext else [64, 128, 256]):
                for a in ([2.0, 5.0, 20.0] if ext else [0, 0.1, 0.3, 0.5, 1.0]):
                    if a == 0 and k != 64:
                        continue
                    run(f'k={k} a={a}', lambda: gfcf(x, lin, vt, dui, k, a))
        else:
            k, a = int(sys.argv[4]), float(sys.argv[5])

            def fit():
                lin, vt, dui = gfcf_parts(x, k)
                return gfcf(x, lin, vt, dui, k, a)
            run(f'k={k} a={a}', fit)
    elif method == 'edlae':
        g = (x.T @ x).toarray()
        if mode in ('grid', 'ext'):
            ext = mode == 'ext'
            for lam in ([150, 200, 300, 400] if ext else [100, 300, 600, 1000]):
                for p in ([0.5, 0.6, 0.7, 0.8] if ext else [0.0, 0.1, 0.25, 0.33, 0.5]):
                    run(f'lambda={lam} p={p}', lambda: edlae(x, lam, p, g))
        else:
            lam, p = float(sys.argv[4]), float(sys.argv[5])
            run(f'lambda={lam} p={p}', lambda: edlae(x, lam, p))
    elif method == 'easenorm':
        if mode == 'grid':
            for gam in [0.1, 0.25, 0.5]:
                for lam in [float(v) for v in sys.argv[4:]]:
                    run(f'gamma={gam} lambda={lam}', lambda: ease_norm(x, lam, gam))
        elif mode == 'ext':
            for back in [False, True]:
                for gam in [0.05, 0.1, 0.15]:
                    for lam in [100, 200, 300]:
                        for p in [0.0, 0.33]:
                            run(f'gamma={gam} lambda={lam} p={p} back={back}',
                                lambda: ease_norm(x, lam, gam, p, back))
        else:
            gam, lam = float(sys.argv[4]), float(sys.argv[5])
            p = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
            back = len(sys.argv) > 7 and sys.argv[7] == 'True'
            run(f'gamma={gam} lambda={lam} p={p} back={back}', lambda: ease_norm(x, lam, gam, p, back))
    elif method == 'blend':
        # blend SPEC1 SPEC2 where SPEC = name:arg,arg,...
        specs = sys.argv[4:6]
        mats = []
        for spc in specs:
            name, args = spc.split(':')
            a = args.split(',')
            t = time.time()
            if name == 'edlae':
                s = edlae(x, float(a[0]), float(a[1]))
            elif name == 'rp3':
                base, di, _ = rp3_base(x, float(a[0]))
                s = rp3(x, base, di, float(a[1]), int(a[2]), a[3] == 'True')
            elif name == 'gfcf':
                lin, vt, dui = gfcf_parts(x, int(a[0]))
                s = gfcf(x, lin, vt, dui, int(a[0]), float(a[1]))
            elif name == 'itemknn':
                s = itemknn(x, None if a[0] == 'all' else int(a[0]), float(a[1]))
            elif name == 'easenorm':
                s = ease_norm(x, float(a[1]), float(a[0]), float(a[2]) if len(a) > 2 else 0.0,
                              len(a) > 3 and a[3] == 'True')
            log(f'{spc} fit {time.time() - t:.2f}s: NDCG@10 %.4f P@10 %.4f' % evaluate(s, x, users, items, test))
            mats.append(zstd(s, x))
        if mode.startswith('w='):
            ws = [float(v) for v in mode[2:].split(',')]
        else:
            ws = [0.5] if mode == 'best' else [0.3, 0.4, 0.5, 0.6, 0.7]
        for w in ws:
            n, p = evaluate(w * mats[0] + (1 - w) * mats[1], x, users, items, test)
            log(f'blend w={w} {specs}: NDCG@10 {n:.4f} P@10 {p:.4f}')


if __name__ == '__main__':
    main()
