"""The model card's check of the trainer (issue 11): the PyTorch recipe the issue quotes, in plain PyTorch, on
the same honest split Recur trains on (the first 846,171 characters of train.txt for training, the rest as dev),
the dev text read as one stream with the state carried, as `recur eval` reads it. Prints the dev figure
(nats/char) every 103 steps (one epoch of 64 x 128-character windows). Not part of Recur; needs torch.
  python3 torch-recipe-check.py TRAIN_TXT STEPS [THREADS] [STEP_OF_THE_LR_DROP]
The card's figures: `python3 torch-recipe-check.py data/tinyshakespeare/train.txt 721 2 619`."""
import sys, time, json, torch
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2); torch.manual_seed(7)
text = open(sys.argv[1]).read()
cut = 846171
chars = sorted(set(text)); idx = {c: i for i, c in enumerate(chars)}
data = torch.tensor([idx[c] for c in text], dtype=torch.long)
tr, dev = data[:cut], data[cut:]
V = len(chars); E = 64; H = 512
steps_total = int(sys.argv[2]); epoch_steps = 103; DROP = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
class LM(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.e = torch.nn.Embedding(V, E); s.r = torch.nn.LSTM(E, H, 2, dropout=0.2); s.d = torch.nn.Dropout(0.2); s.o = torch.nn.Linear(H, V)
    def forward(s, x, st=None):
        y, st = s.r(s.e(x), st); return s.o(s.d(y)), st
m = LM(); opt = torch.optim.Adam(m.parameters(), 2e-3)
def evaluate():
    m.eval(); tot = 0.0; st = None
    with torch.no_grad():
        for f in range(0, len(dev) - 1, 2048):
            x = dev[f:f + 2048 + 1]
            if len(x) < 2: break
            logits, st = m(x[:-1].unsqueeze(1), st)
            tot += torch.nn.functional.cross_entropy(logits.reshape(-1, V), x[1:], reduction='sum').item()
    m.train(); return tot / (len(dev) - 1)
t0 = time.time()
for step in range(1, steps_total + 1):
    if step == DROP:
        for g in opt.param_groups: g['lr'] = 2e-4
    off = torch.randint(0, len(tr) - 129, (64,))
    b = torch.stack([tr[o:o + 129] for o in off]).t()
    logits, _ = m(b[:-1])
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), b[1:].reshape(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
    if step % epoch_steps == 0 or step == steps_total:
        print(json.dumps({"step": step, "train_loss": round(loss.item(), 4), "dev": round(evaluate(), 4), "s": round(time.time() - t0)}), flush=True)
