"""Generates the tiny PyTorch checkpoints used by TorchPickleTests (run once with torch installed).

    python make_torch_fixtures.py

Every checkpoint holds the same state dict, so the tests can check that both formats and both pickle
protocols decode to the same values.
"""
import collections
import io
import os
import pickle
import zipfile

import torch

state = collections.OrderedDict()
state["linear.weight"] = torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 0.5
state["linear.bias"] = torch.tensor([1.5, -2.25], dtype=torch.float32)
# A non-contiguous view: the transpose of a 3×2 tensor (stride (1, 2)) sharing its storage.
base = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float32)
state["transposed"] = base.t()
# A slice with a storage offset.
state["slice"] = torch.tensor([10.0, 11.0, 12.0, 13.0], dtype=torch.float32)[1:3]
state["half"] = torch.tensor([0.5, -1.0, 65504.0, 6.1035156e-05], dtype=torch.float16)
state["bfloat"] = torch.tensor([1.0, -3.0, 0.15625], dtype=torch.bfloat16)
state["double"] = torch.tensor([[0.125]], dtype=torch.float64)
state["bn.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
state["param"] = torch.nn.Parameter(torch.tensor([2.0, 4.0]))

torch.save(state, "tiny-legacy.pth", _use_new_zipfile_serialization=False)
torch.save(state, "tiny-zip.pt")
torch.save(state, "tiny-zip-protocol4.pt", pickle_protocol=4)


class Exploit:
    """Pickles to a call of os.system — what a malicious checkpoint looks like."""

    def __reduce__(self):
        return (os.system, ("echo curio-pwned > /tmp/curio-pwned",))


payload = pickle.dumps(collections.OrderedDict(weight=Exploit()), protocol=2)
with zipfile.ZipFile("malicious-zip.pt", "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", payload)
    z.writestr("archive/byteorder", "little")
    z.writestr("archive/version", "3\n")
