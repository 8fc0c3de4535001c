"""The PyTorch anchor of `npm run bench training`: the same bag encoder (EmbeddingBag, mean, sparse gradients),
InfoNCE and SparseAdam, trained on the batches Pont trained on (read from the file the benchmark wrote), from the
same initial table. Prints one JSON line: pairs/s, peak RSS, and the losses of the first steps."""
import json, resource, sys, time

import numpy as np
import torch
import torch.nn.functional as F

batches_file, table_file, buckets, dim, lr, temperature, threads = sys.argv[1:8]
buckets, dim, threads = int(buckets), int(dim), int(threads)
torch.set_num_threads(threads)
steps = [json.loads(line) for line in open(batches_file)]
bag = torch.nn.EmbeddingBag(buckets, dim, mode="mean", sparse=True)
with torch.no_grad():
    bag.weight.copy_(torch.from_numpy(np.fromfile(table_file, dtype=np.float32).reshape(buckets, dim)))
opt = torch.optim.SparseAdam(bag.parameters(), lr=float(lr), betas=(0.9, 0.999), eps=1e-8)
tau = float(temperature)

def tensors(step):
    flat = [i for t in step["texts"] for i in t]
    offsets = np.cumsum([0] + [len(t) for t in step["texts"][:-1]])
    col_text = torch.tensor(step["colText"])
    rows = len(step["q"])
    same = col_text[None, :] == col_text[:rows, None]
    same[torch.arange(rows), torch.arange(rows)] = False
    return (torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long),
            torch.tensor(step["q"]), torch.tensor(step["c"]), same)

prepared = [tensors(s) for s in steps]
losses = []
pairs = 0
started = time.perf_counter()
for ids, offsets, q, c, same in prepared:
    # Texts without features have a zero bag, as in Pont (normalize leaves zero vectors at zero).
    e = F.normalize(bag(ids, offsets), dim=1)
    logits = (e[q] @ e[c].T / tau).masked_fill(same, float("-inf"))
    loss = F.cross_entropy(logits, torch.arange(len(q)))
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
    pairs += len(q)
seconds = time.perf_counter() - started
print(json.dumps({"pairsPerSecond": pairs / seconds, "seconds": seconds, "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "losses": losses[:10], "version": torch.__version__, "threads": threads}))
