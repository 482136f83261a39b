"""The alignment's sequence model: a hidden Markov model over a notes unit's sections.

Slides come in the talk's order and notes follow it loosely: a speaker's script has one
section per slide, a recap gives several slides one section and skips some, an overview
slide points at a section further on. The hidden state of slide ``t`` is the section that
covers it, or *none*; the model keeps, for *none*, the section last seen, so a slide after a
gap can come back to it. From a state at section ``j`` the next slide moves by one of five
kinds of step, each a probability the deck and notes learn for themselves (EM):

- ``next``: to section ``j + 1``;
- ``same``: to section ``j`` again (from *none*: back to it);
- ``skip``: ahead to ``j + k``, ``k >= 2``, the farther the less likely (``skip_decay``);
- ``back``: to an earlier section, any of them alike;
- ``none``: to no section (the section last seen is kept).

The first slide steps from before the first section. Emissions are log-likelihood ratios of
a slide under a section against under *none* (``none`` emits 0), so the forward likelihood
of the deck is a Bayes factor against "these notes do not cover this deck", the number that
decides which unit of notes covers the deck at all.

    >>> import numpy as np
    >>> model = SectionChain(3, dict(next=0.5, same=0.3, skip=0.05, back=0.05, none=0.1), 0.5)
    >>> evidence = np.array([[4.0, -2, -2], [3.0, -1, -2], [-2, 4.0, -1], [-3, -3, -3]])
    >>> fit = model.fit(evidence, {"next": 1, "same": 1, "skip": 0.2, "back": 0.2, "none": 0.5}, rounds=3)
    >>> fit.path, [round(p, 2) for p in fit.posterior]
    ([0, 0, 1, None], [0.98, 0.95, 0.99, 0.83])
    >>> fit.log_evidence > 0
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("next", "same", "skip", "back", "none")
_CLIP = 30.0  # nats: an emission beyond this says no more (and keeps exp() finite)


@dataclass
class Fit:
    path: list[int | None]  # section index per slide (Viterbi), None for no section
    posterior: list[float]  # the probability of that state given the whole deck
    log_evidence: float  # log Bayes factor of the deck under the model against "no section"
    steps: dict[str, float]  # the learnt step probabilities
    coupled_steps: dict[str, float]  # those within a paper's run (empty: the deck has none)


class SectionChain:
    """The states and steps of ``m`` sections in notes order (see the module docstring).

    States: 0 is *none* before any section, ``1..m`` section ``j - 1``, ``m+1..2m`` *none*
    after section ``j - m - 1``."""

    def __init__(self, m: int, steps: dict[str, float], skip_decay: float):
        self.m = m
        self.steps = dict(steps)
        n = 2 * m + 1
        pos = np.array([-1] + list(range(m)) + list(range(m)))
        target = np.arange(n)
        kind = np.full((n, n), -1, dtype=np.int64)  # which kind of step goes from a to b
        weight = np.zeros((n, n))  # its share of that kind's probability (rows sum to 1 per kind)
        for a in range(n):
            p = pos[a]
            none_state = 0 if p < 0 else m + 1 + p
            kind[a, none_state], weight[a, none_state] = 4, 1.0
            if p >= 0:
                kind[a, 1 + p], weight[a, 1 + p] = 1, 1.0
            if p + 1 < m:
                kind[a, 2 + p], weight[a, 2 + p] = 0, 1.0
            ahead = target[1 + p + 2 : 1 + m] if p + 2 < m else target[:0]
            if len(ahead):
                w = skip_decay ** np.arange(len(ahead), dtype=float)
                kind[a, ahead], weight[a, ahead] = 2, w / w.sum()
            if p > 0:
                kind[a, 1 : 1 + p], weight[a, 1 : 1 + p] = 3, 1.0 / p
        # within one paper's run the slide keeps what the slide before had: staying out of
        # the notes is ``same`` there, and coming back from none to the section a change
        coupled = kind.copy()
        coupled[0, 0] = 1
        for p in range(m):
            coupled[m + 1 + p, m + 1 + p], coupled[m + 1 + p, 1 + p] = 1, 4
        self.kinds = {False: kind, True: coupled}
        self.weight = weight

    def matrix(self, steps: dict[str, float], coupled: bool = False) -> np.ndarray:
        """The transition matrix of these step probabilities, each row renormalized over the
        kinds it has (the last section has no ``next``)."""
        probs = np.array([steps[k] for k in KINDS] + [0.0])
        t = probs[self.kinds[coupled]] * self.weight
        return t / t.sum(axis=1, keepdims=True)

    def _forward_backward(self, trans: list[np.ndarray], emit: np.ndarray):
        n = len(emit)
        alpha = np.empty_like(emit)
        scale = np.empty(n)
        a = trans[0][0] * emit[0]
        for t in range(n):
            if t:
                a = (alpha[t - 1] @ trans[t]) * emit[t]
            scale[t] = a.sum()
            alpha[t] = a / scale[t]
        beta = np.empty_like(emit)
        beta[-1] = 1.0
        for t in range(n - 2, -1, -1):
            beta[t] = trans[t + 1] @ (emit[t + 1] * beta[t + 1]) / scale[t + 1]
        return alpha, beta, scale

    def _emissions(self, evidence: np.ndarray) -> np.ndarray:
        ratio = np.exp(np.clip(evidence, -_CLIP, _CLIP))
        ones = np.ones((len(evidence), 1))
        return np.hstack([ones, ratio, np.ones_like(ratio)])

    def fit(self, evidence: np.ndarray, prior: dict[str, float], rounds: int,
            coupled: list[bool] | None = None) -> Fit:
        """EM over the step probabilities (``prior``: pseudo-counts of each kind), then the
        best path and each slide's posterior. ``evidence[t, j]``: log-likelihood ratio of
        slide ``t`` under section ``j`` against under no section. ``coupled[t]``: slide ``t``
        shares a header with slide ``t - 1`` (one paper's run); such steps have their own
        probabilities, learnt alike from the same ``prior``."""
        n = len(evidence)
        emit = self._emissions(evidence)
        coupled = [bool(c) and t > 0 for t, c in enumerate(coupled or [False] * n)]
        regimes = {False: dict(self.steps), True: dict(self.steps)}
        pseudo = np.array([prior[k] for k in KINDS])
        start = np.eye(2 * self.m + 1)[0]
        for _ in range(rounds):
            mats = {c: self.matrix(regimes[c], c) for c in regimes}
            trans = [mats[c] for c in coupled]
            alpha, beta, scale = self._forward_backward(trans, emit)
            after = emit * beta / scale[:, None]
            for c in regimes:
                # expected steps of this regime: xi summed over its slides (the first slide's
                # step, from state 0, is a free one)
                rows = [t for t in range(1, n) if coupled[t] == c]
                xi = alpha[[t - 1 for t in rows]].T @ after[rows] if rows else 0.0
                if not c:
                    xi = xi + np.outer(start, after[0])
                flat_kind = self.kinds[c].ravel()
                valid = flat_kind >= 0
                counts = np.bincount(flat_kind[valid], weights=(xi * mats[c]).ravel()[valid],
                                     minlength=len(KINDS))
                new = counts + pseudo
                regimes[c] = dict(zip(KINDS, (new / new.sum()).tolist()))
        mats = {c: self.matrix(regimes[c], c) for c in regimes}
        trans = [mats[c] for c in coupled]
        alpha, beta, scale = self._forward_backward(trans, emit)
        gamma = alpha * beta
        gamma /= gamma.sum(axis=1, keepdims=True)
        path = self._viterbi(trans, emit)
        sections = [s - 1 if 1 <= s <= self.m else None for s in path]
        return Fit(sections, [float(gamma[t, s]) for t, s in enumerate(path)], float(np.log(scale).sum()),
                   regimes[False], regimes[True] if any(coupled) else {})

    def _viterbi(self, trans: list[np.ndarray], emit: np.ndarray) -> list[int]:
        with np.errstate(divide="ignore"):
            lts, le = [np.log(t) for t in trans], np.log(emit)
        score = lts[0][0] + le[0]
        back = []
        for t in range(1, len(emit)):
            cand = score[:, None] + lts[t]
            arg = cand.argmax(axis=0)
            back.append(arg)
            score = cand[arg, np.arange(len(arg))] + le[t]
        state = int(score.argmax())
        path = [state]
        for arg in reversed(back):
            state = int(arg[state])
            path.append(state)
        return path[::-1]
