import random

from tokenizers import normalizers

from rag.models.charsmap import build_precompiled_charsmap, lookup


def _table():
    rng = random.Random(7)
    table = {0x3000: " ", 0xFF08: "(", 0xFF21: "A", 0x1: "", 0xFB01: "fi", 0x2460: "1"}
    for cp in rng.sample(range(0x4E00, 0x9FFF), 300) + rng.sample(range(0x10000, 0x10FFF), 50):
        table[cp] = chr(rng.randrange(0x41, 0x5A)) * rng.randrange(0, 3)
    return table


def test_every_entry_is_found_and_others_are_not():
    table = _table()
    blob = build_precompiled_charsmap(table)
    for cp, out in table.items():
        assert lookup(blob, chr(cp)) == out
    for cp in (0x41, 0x4E00 - 1, 0x20AC, 0x1F600):
        if cp not in table:
            assert lookup(blob, chr(cp)) is None


def test_hugging_face_precompiled_normaliser_reads_our_blob():
    table = {0x3000: " ", 0xFF08: "(", 0xFF09: ")", 0xFF21: "A", 0x1: "", 0xFB01: "fi"}
    norm = normalizers.Precompiled(build_precompiled_charsmap(table))
    assert norm.normalize_str("（Ａ）\u3000ﬁ\x01数据") == "(A) fi数据"
