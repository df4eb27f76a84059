#!/usr/bin/env python3
"""Independent reference implementation of nadra's deal Monte Carlo in numpy.

It reads the compiled model that `nadra simulate --dump-inputs FILE` writes
(projects, product lines, schedules, prices, volatilities, the Cholesky
factor of the price correlations, and each fund's terms), simulates the
same model with its own random numbers, vectorised over paths, and prints
JSON: the mean, standard error and percentiles of each output, and the
compute time. The Go test TestNumpyReference checks that the means agree
within Monte Carlo error; bench/simulate.sh times the two.

It re-derives what it can instead of trusting the export: the production
schedule from the mine life and ramp-up, the discount factors, the build
decision's present values and the capex-overrun draws. Written from the
model's description in deal/model.go and dataset/FORMAT.md, not by
translating the Go code line by line; numpy only (Debian python3-numpy).

Usage: reference_numpy.py INPUTS.json [--paths N] [--seed S] [--fund K]
"""

import argparse
import json
import math
import sys
import time

import numpy as np


def schedule(life, ramp):
    """Production by year of production, in units of capacity."""
    out, remaining, k = [], life, 0
    while remaining > 1e-9:
        f = min(min(1.0, (k + 1) / ramp), remaining)
        out.append(f)
        remaining -= f
        k += 1
    return np.array(out)


def triangular_quantile(u, lo, mode, hi):
    if hi <= lo:
        return np.full_like(u, lo)
    f = (mode - lo) / (hi - lo)
    left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
    right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
    return np.where(u < f, left, right)


def simulate(m, fund, n, seed):
    rng = np.random.default_rng(seed)
    Y = m["years"]
    C = len(m["commodities"])
    P = len(m["projects"])
    t = np.arange(Y)
    infl = np.array(m["inflation_index"])
    disc = (1 + m["discount"]) ** -t.astype(float)
    v = 1 / (1 + m["hurdle"])
    cit = m["cit"]
    ceasefire = m["ceasefire"]
    ss = m["spread_scale"]

    # Correlated log-price Brownian paths, W[path, commodity, year], W[.,.,0] = 0.
    vol = np.array(m["volatility"])
    price = np.ones((n, C, Y))
    if C:
        L = np.array(m["cholesky"]).reshape(C, C)
        z = rng.standard_normal((n, Y - 1, C)) @ L.T
        W = np.zeros((n, C, Y))
        W[:, :, 1:] = np.cumsum(z, axis=1).transpose(0, 2, 1)
        price = np.exp(vol[None, :, None] * W - 0.5 * (vol**2)[None, :, None] * t[None, None, :])

    u_lead = rng.random((n, P))
    z_over = rng.standard_normal((n, P))
    u_grade = rng.random((n, P))
    u_loss = 1 - rng.random((n, P))

    take = {}  # (p, line) -> (n, Y) state take
    op = np.zeros((P, n, Y))
    capex_flow = np.zeros((P, n, Y))
    state = np.zeros((n, Y))
    pstate = np.zeros((P, n, Y))  # the state's receipts by project
    built = np.zeros((P, n), dtype=bool)
    first_year = np.full((P, n), np.nan)
    dec_year = np.full((P, n), -1)
    planned = np.zeros(P)
    rows = np.arange(n)
    for p, pr in enumerate(m["projects"]):
        sched = schedule(pr["life_years"], pr["ramp_years"])
        if not np.allclose(sched, pr["schedule"]):
            raise SystemExit(f"{pr['id']}: schedule differs from the export")
        N = len(sched)
        g = 1 + pr["spread"] * ss * (2 * u_grade[:, p] - 1)
        lines = pr["lines"]
        ncons = pr["construction_years"]
        if pr["existing"]:
            tp = np.zeros(n, dtype=int)
            nc = np.zeros(n, dtype=int)
            ok = np.ones(n, dtype=bool)
        else:
            mode = pr["lead_mode"]
            lo = mode - ss * (mode - pr["lead_lo"])
            hi = mode + ss * (pr["lead_hi"] - mode)
            lead = triangular_quantile(u_lead[:, p], lo, mode, hi)
            tp = np.maximum(1, np.floor(lead + 0.5).astype(int))
            if pr["waits_for_ceasefire"]:
                # Construction starts no earlier than the ceasefire; none
                # within the horizon: never built.
                tp = np.maximum(tp, ceasefire + ncons)
            nc = np.minimum(ncons, tp)
            s0 = tp - nc
            # Build decision at s0 at that year's prices, capex as estimated,
            # everything discounted at the hurdle rate to s0.
            d0 = np.sum(sched * v ** np.arange(N))
            e0 = np.sum(v ** np.arange(N))
            rev = np.zeros(n)
            b = 0.0
            for ln in lines:
                x = np.where(s0 < Y, price[rows, ln["commodity"], np.minimum(s0, Y - 1)], 1.0)
                rev += ln["capacity"] * ln["price0"] * (1 - ln["take"]) * (1 - cit) * x
                b += (1 - cit) * ln["capacity"] * ln["opex"]
            vnc = v ** nc
            annuity = (1 - v**nc) / (1 - v)
            capex = pr["capex"]
            npv = (g * rev - g * b) * d0 * vnc - capex / nc * annuity + cit * capex / N * e0 * vnc
            ok = npv > 0
            if pr["waits_for_ceasefire"] and ceasefire >= Y:
                ok = np.zeros(n, dtype=bool)
            dec_year[p] = np.where(ok, s0, -1)
            planned[p] = capex
        built[p] = ok
        first_year[p] = np.where(ok, m["start_year"] + tp, np.nan)
        h = pr["hazard"]
        tl = np.full(n, Y)
        if h > 0:
            f = np.log(u_loss[:, p]) / np.log1p(-h)
            tl = np.where(f < Y, np.floor(f), Y).astype(int)
        overrun = np.exp(m["overrun_mu"] + m["overrun_sigma"] * z_over[:, p])
        with np.errstate(divide="ignore", invalid="ignore"):
            capex_year = np.where(nc > 0, pr["capex"] * overrun / np.maximum(nc, 1), 0.0)
            dep = np.where(nc > 0, pr["capex"] * overrun / N, 0.0)
        k = t[None, :] - tp[:, None]  # year of production
        alive = ok[:, None] & (t[None, :] < tl[:, None])
        in_cons = alive & (k < 0) & (k >= -nc[:, None])
        in_prod = alive & (k >= 0) & (k < N)
        f = g[:, None] * sched[np.clip(k, 0, N - 1)] * in_prod
        rev = np.zeros((n, Y))
        opex = np.zeros((n, Y))
        tk_all = np.zeros((n, Y))
        line_rev = []
        for li, ln in enumerate(lines):
            q = f * ln["capacity"]
            r = q * ln["price0"] * price[:, ln["commodity"], :]
            tk = ln["take"] * r
            rev += r
            opex += q * ln["opex"]
            tk_all += tk
            take[(p, li)] = tk
            line_rev.append(r)
        capex_flow[p] = np.where(in_cons, capex_year[:, None], 0.0)
        if pr["psa_cost_recovery_cap"] > 0:
            # Production sharing: year by year, the investor recovers its
            # costs (capex as spent, then opex) from at most cap of the
            # output; while it does, the state takes its recovery share of
            # the rest, and afterwards the lines' take (its share of output).
            cap, rshare = pr["psa_cost_recovery_cap"], pr["psa_recovery_state_share"]
            unrec = np.zeros(n)
            tk_all = np.zeros((n, Y))
            for y in range(Y):
                unrec += capex_flow[p][:, y]
                pool = unrec + opex[:, y]
                comp = cap * rev[:, y]
                recovering = in_prod[:, y] & (pool > comp)
                main = in_prod[:, y] & ~recovering
                share = sum(ln["take"] for ln in lines) / len(lines)
                tk_all[:, y] = np.where(recovering, rshare * (rev[:, y] - comp), np.where(main, share * rev[:, y], 0.0))
                unrec = np.where(recovering, pool - comp, np.where(main, 0.0, unrec))
            with np.errstate(divide="ignore", invalid="ignore"):
                for li in range(len(lines)):
                    take[(p, li)] = np.where(rev > 0, tk_all * line_rev[li] / rev, 0.0)
        tax = cit * np.maximum(0, rev - opex - tk_all - dep[:, None]) * in_prod
        op[p] = rev - opex - tk_all - tax
        state += tk_all + tax
        pstate[p] = tk_all + tax

    # The fund, year by year.
    base = np.zeros((n, Y))
    pbase = np.zeros((P, n, Y))
    for p, li in fund["base_lines"]:
        base += take[(p, li)]
        pbase[p] += take[(p, li)]
    base[:, : fund["start"]] = 0
    pbase[:, :, : fund["start"]] = 0
    share = fund["share"]
    cap_us = np.zeros(n)
    cap_ua = np.zeros(n)
    owed = np.zeros(n)
    cash = np.zeros(n)
    stake = np.zeros((P, n))
    out = {k: np.zeros(n) for k in ["fund_receipts_pv", "fund_receipts_sum", "us_distributions_pv", "us_contributions_pv",
                                   "ukraine_distributions_pv", "ukraine_contributions_pv", "state_receipts_pv"]}
    years = np.zeros((n, Y))
    us_first = np.full(n, np.nan)
    for y in range(Y):
        rev = share * base[:, y] * infl[y]
        us_c, ua_c, aid = fund["us_cash"][y], fund["ua_cash"][y], fund["in_kind"][y]
        prior = fund["prior"] if y == 0 else 0.0
        if fund["waterfall"] == "priority_return":
            owed = owed * (1 + fund["rate"]) + (us_c + aid + prior)
        cap_us += us_c + aid + prior
        cap_ua += ua_c + rev
        cash += rev + us_c + ua_c
        for p in fund["coinvest"]:
            mask = built[p] & (dec_year[p] == y) & (planned[p] > 0) & (cash > 0)
            if mask.any():
                stake[p] = np.where(mask, np.minimum(m["coinvest"], cash / (planned[p] * infl[y])), stake[p])
        for p in fund["coinvest"]:
            cash += stake[p] * (op[p][:, y] - capex_flow[p][:, y]) * infl[y]
        dist = np.where((y >= fund["dist_from"]) & (cash > 0), cash, 0.0)
        cash -= dist
        if fund["waterfall"] == "fixed_shares":
            d_us = dist * fund["us_share"]
        else:
            first = np.zeros(n)
            if fund["waterfall"] == "priority_return":
                first = np.minimum(dist, np.maximum(0, owed))
                owed -= first
            rest = dist - first
            total = cap_us + cap_ua
            with np.errstate(divide="ignore", invalid="ignore"):
                d_us = first + np.where(total > 0, rest * cap_us / total, rest / 2)
        d_ua = dist - d_us
        out["fund_receipts_pv"] += rev * disc[y]
        out["fund_receipts_sum"] += rev
        out["us_distributions_pv"] += d_us * disc[y]
        out["us_contributions_pv"] += (us_c + aid) * disc[y]
        out["ukraine_distributions_pv"] += d_ua * disc[y]
        out["ukraine_contributions_pv"] += (ua_c + rev) * disc[y]
        out["state_receipts_pv"] += state[:, y] * infl[y] * disc[y]
        us_first = np.where(np.isnan(us_first) & (d_us > 0), y, us_first)
        years[:, y] = rev
    out["us_contributions_pv"] += fund["prior"]
    out["us_npv"] = out["us_distributions_pv"] - out["us_contributions_pv"] + fund["prior"]
    out["ukraine_npv"] = out["ukraine_distributions_pv"] - out["ukraine_contributions_pv"]
    out["projects_built"] = built.sum(axis=0).astype(float)
    out["us_years_to_first_distribution"] = us_first
    with np.errstate(divide="ignore", invalid="ignore"):
        out["us_recovery"] = np.where(out["us_contributions_pv"] > 0, out["us_distributions_pv"] / out["us_contributions_pv"], np.nan)
    # Per project: the state's receipts and the fund's receipts from it
    # (PV), and the year of first production.
    k = infl * disc
    for p, pr in enumerate(m["projects"]):
        out["project:" + pr["id"] + ":state_receipts_pv"] = (pstate[p] * k).sum(axis=1)
        out["project:" + pr["id"] + ":fund_receipts_pv"] = (share * pbase[p] * k).sum(axis=1)
        out["project:" + pr["id"] + ":start_year"] = first_year[p]
    return out, years


def summary(x):
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return {"n": 0}
    q = np.percentile(x, [5, 10, 50, 90, 95])
    return {"n": int(len(x)), "mean": float(x.mean()), "se": float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0,
            "p5": float(q[0]), "p10": float(q[1]), "p50": float(q[2]), "p90": float(q[3]), "p95": float(q[4]),
            "p_negative": float((x < 0).mean())}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs")
    ap.add_argument("--paths", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fund", type=int, default=0, help="which fund (set of terms) in the inputs")
    ap.add_argument("--batch", type=int, default=25000, help="paths per vectorised batch (bounds memory)")
    a = ap.parse_args()
    with open(a.inputs) as f:
        m = json.load(f)
    fund = m["funds"][a.fund]
    t0 = time.perf_counter()
    parts, fans = [], []
    done = 0
    batch = 0
    while done < a.paths:
        k = min(a.batch, a.paths - done)
        out, years = simulate(m, fund, k, [a.seed, batch])
        parts.append(out)
        fans.append(years)
        done += k
        batch += 1
    out = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    years = np.concatenate(fans)
    res = {"terms": fund["id"], "paths": a.paths, "metrics": {k: summary(v) for k, v in out.items()},
           "fan": [summary(years[:, y]) for y in range(years.shape[1])]}
    res["seconds"] = time.perf_counter() - t0
    json.dump(res, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
